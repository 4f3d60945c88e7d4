package org.datasandbox.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metadata contract on a real PostgreSQL server started for this class (a new database per test), where the
 * second instance stands for a second server sharing the database; and what only a shared store must do.
 */
class PostgresMetadataStoreTest extends MetadataStoreContractTest {
    private static PostgresServer server;
    private String url;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.startOrSkip();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newDatabase() throws Exception {
        url = server.newDatabase();
    }

    @Override
    MetadataStore openStore() throws Exception {
        return MetadataStore.open(java.nio.file.Path.of("unused"), url, CLOCK);
    }

    @Test
    void open_again_migratesOnceAndKeepsTheSchemaVersion() throws Exception {
        PostgresMetadataStore first = (PostgresMetadataStore) open();
        PostgresMetadataStore second = (PostgresMetadataStore) open();
        assertThat(first.schemaVersion()).isEqualTo(SchemaMigrations.MIGRATIONS.size());
        assertThat(second.schemaVersion()).isEqualTo(SchemaMigrations.MIGRATIONS.size());
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM sandbox_schema")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void open_databaseMigratedFurther_isRefusedWithoutNamingTheServer() throws Exception {
        open();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE sandbox_schema SET version = 99");
        }
        assertThatThrownBy(this::open).isInstanceOf(IOException.class)
                .hasMessageContaining("schema version 99, newer than this build").hasMessageNotContaining("127.0.0.1");
    }

    @Test
    void open_unreachableServer_failsWithAFixedText() {
        assertThatThrownBy(() -> PostgresMetadataStore.open("jdbc:postgresql://127.0.0.1:1/none?user=secret_user", CLOCK))
                .isInstanceOf(IOException.class).hasMessageNotContaining("secret_user").hasMessageNotContaining("127.0.0.1");
    }

    @Test
    void datasets_addedByOneServer_areSeenByTheOtherAtOnce() throws Exception {
        MetadataStore first = open();
        MetadataStore second = open();
        assertThat(second.datasets().get("residents")).isEmpty();
        first.datasets().add(dataset("residents"));
        assertThat(second.datasets().get("residents")).contains(dataset("residents"));
        assertThatThrownBy(() -> second.datasets().add(dataset("residents"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void policies_appendedFromTwoServersAtOnce_getDistinctVersionsAndMoveTheGeneration() throws Exception {
        MetadataStore first = open();
        MetadataStore second = open();
        long before = second.policies().generation();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.List<java.util.concurrent.Future<Integer>> versions = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                MetadataStore store = i % 2 == 0 ? first : second;
                int n = i;
                versions.add(pool.submit(() -> store.policies().append(
                        org.datasandbox.core.policy.PolicyRecords.Kind.TABLE, "residents", "v" + n, null)));
            }
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            for (var version : versions) {
                seen.add(version.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(40).first().isEqualTo(1);
            assertThat(seen).last().isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
        assertThat(first.policies().generation()).isEqualTo(before + 40);
    }

    @Test
    void jobIds_claimedOnOneServer_areTakenForTheOther() throws Exception {
        assertThat(open().jobIds().claim("job-00000000000a")).isTrue();
        assertThat(open().jobIds().claim("job-00000000000a")).isFalse();
    }
}
