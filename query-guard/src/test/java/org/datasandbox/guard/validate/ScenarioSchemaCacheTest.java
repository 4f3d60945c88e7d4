package org.datasandbox.guard.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.datasandbox.guard.catalog.ColumnRole;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.guard.catalog.GuardCatalog;
import org.datasandbox.guard.catalog.GuardColumn;
import org.datasandbox.guard.catalog.GuardTable;
import org.datasandbox.guard.catalog.JoinKey;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.guard.catalog.Scenario;
import org.junit.jupiter.api.Test;

class ScenarioSchemaCacheTest {
    private static final GuardTable VISITS = new GuardTable("visits", List.of(
            GuardColumn.of("person_id", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
            GuardColumn.of("hospital", ColumnType.STRING, ColumnRole.DIMENSION)));

    private final MutableCatalog catalog = new MutableCatalog();
    private final ScenarioSchemaCache cache = new ScenarioSchemaCache();

    /** A catalog whose tables change between queries, as the runtime's do when datasets and policies change. */
    private static final class MutableCatalog implements GuardCatalog {
        private final Map<String, GuardTable> tables = new HashMap<>();

        void put(GuardTable table) {
            tables.put(table.name(), table);
        }

        void remove(String name) {
            tables.remove(name);
        }

        @Override
        public Optional<GuardTable> table(String name) {
            return Optional.ofNullable(tables.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public List<JoinKey> joinKeys() {
            return List.of();
        }
    }

    private static Scenario scenario(String id, Set<String> columns) {
        return new Scenario(id, Map.of("visits", columns), OutputMode.THRESHOLD, 10);
    }

    private static List<String> columnsOf(ScenarioSchema schema, String table) {
        return schema.catalogReader().getTable(List.of(table)).getRowType().getFieldNames();
    }

    @Test
    void schema_sameCatalogAndGrants_isReused() {
        catalog.put(VISITS);
        Scenario scenario = scenario("s", Set.of("person_id", "hospital"));

        ScenarioSchema first = cache.schema(catalog, scenario);

        assertThat(cache.schema(catalog, scenario)).isSameAs(first);
        // The scenario's id and k are not part of the schema: only what it is built from.
        assertThat(cache.schema(catalog, new Scenario("other", scenario.grants(), OutputMode.THRESHOLD, 5)))
                .isSameAs(first);
    }

    @Test
    void schema_tableChangedInCatalog_isRebuiltWithTheNewColumns() {
        catalog.put(VISITS);
        Scenario scenario = scenario("s", Set.of("person_id", "hospital", "cost"));
        ScenarioSchema before = cache.schema(catalog, scenario);

        catalog.put(new GuardTable("visits", List.of(
                GuardColumn.of("person_id", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                GuardColumn.of("hospital", ColumnType.STRING, ColumnRole.DIMENSION),
                GuardColumn.of("cost", ColumnType.DOUBLE, ColumnRole.MEASURE))));
        ScenarioSchema after = cache.schema(catalog, scenario);

        assertThat(after).isNotSameAs(before);
        assertThat(columnsOf(before, "visits")).containsExactly("person_id", "hospital");
        assertThat(columnsOf(after, "visits")).containsExactly("person_id", "hospital", "cost");
        assertThat(after.table("visits").orElseThrow().column("cost")).isPresent();
    }

    @Test
    void schema_roleChangedInCatalog_isRebuiltWithTheNewPolicy() {
        catalog.put(VISITS);
        Scenario scenario = scenario("s", Set.of("person_id", "hospital"));
        ScenarioSchema before = cache.schema(catalog, scenario);

        catalog.put(new GuardTable("visits", List.of(
                GuardColumn.of("person_id", ColumnType.BIGINT, ColumnRole.PRIVACY_UNIT),
                GuardColumn.of("hospital", ColumnType.STRING, ColumnRole.DIRECT_IDENTIFIER))));

        ScenarioSchema after = cache.schema(catalog, scenario);
        assertThat(after).isNotSameAs(before);
        assertThat(after.table("visits").orElseThrow().column("hospital").orElseThrow().role())
                .isEqualTo(ColumnRole.DIRECT_IDENTIFIER);
    }

    @Test
    void schema_tableRemovedFromCatalog_hasNoSuchTable() {
        catalog.put(VISITS);
        Scenario scenario = scenario("s", Set.of("person_id", "hospital"));
        assertThat(cache.schema(catalog, scenario).table("visits")).isPresent();

        catalog.remove("visits");

        ScenarioSchema after = cache.schema(catalog, scenario);
        assertThat(after.table("visits")).isEmpty();
        assertThat(after.catalogReader().getTable(List.of("visits"))).isNull();
    }

    @Test
    void schema_grantsDiffer_areSeparateSchemas() {
        catalog.put(VISITS);

        ScenarioSchema narrow = cache.schema(catalog, scenario("a", Set.of("person_id")));
        ScenarioSchema wide = cache.schema(catalog, scenario("b", Set.of("person_id", "hospital")));

        assertThat(columnsOf(narrow, "visits")).containsExactly("person_id");
        assertThat(columnsOf(wide, "visits")).containsExactly("person_id", "hospital");
    }

    @Test
    void schema_moreScenariosThanCapacity_keepsAtMostCapacity() {
        catalog.put(VISITS);
        for (int i = 0; i < ScenarioSchemaCache.CAPACITY * 2; i++) {
            // distinct grants (an ungranted column name each) give distinct keys
            cache.schema(catalog, scenario("s" + i, Set.of("person_id", "extra_" + i)));
        }
        assertThat(cache.size()).isEqualTo(ScenarioSchemaCache.CAPACITY);
    }

    @Test
    void schema_builtFresh_equalsCachedOne() {
        catalog.put(VISITS);
        Scenario scenario = scenario("s", Set.of("person_id", "hospital"));

        ScenarioSchema cached = cache.schema(catalog, scenario);
        ScenarioSchema fresh = ScenarioSchema.of(catalog, scenario);

        assertThat(columnsOf(cached, "visits")).isEqualTo(columnsOf(fresh, "visits"));
        assertThat(cached.catalogReader().getTable(List.of("visits")).getRowType().getFullTypeString())
                .isEqualTo(fresh.catalogReader().getTable(List.of("visits")).getRowType().getFullTypeString());
    }
}
