package org.datasandbox.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.InMemoryBudgetStore;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.datasandbox.dp.accounting.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three server processes charging two accounts at once through one PostgreSQL database: whatever the
 * interleaving, exactly as many charges are granted as an in-memory store grants one caller (the oracle), no
 * account passes its cap, and every charge is on both accounts or on neither. The second account has the smaller
 * cap, so a charge taken on one account and refused by the other would show.
 */
class PostgresBudgetProcessesTest {
    private static final BudgetKey VISITS = new BudgetKey("s", "visits");
    private static final BudgetKey PEOPLE = new BudgetKey("s", "people");
    private static final LifetimeBudget VISITS_CAP = new LifetimeBudget(2, 1e-5);
    private static final LifetimeBudget PEOPLE_CAP = new LifetimeBudget(1, 1e-5);

    private static PostgresServer server;

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

    @Test
    void spendAllOnce_threeServerProcessesOnTwoAccounts_grantWhatTheOracleGrantsAllOrNone() throws Exception {
        String url = server.newDatabase();
        int attempts = 18;
        try (PostgresMetadataStore metadata = PostgresMetadataStore.open(url, Clock.systemUTC())) {
            BudgetStore store = metadata.budgets();
            store.define(VISITS, VISITS_CAP);
            store.define(PEOPLE, PEOPLE_CAP);

            List<Process> processes = new ArrayList<>();
            for (String name : List.of("p1", "p2", "p3")) {
                // two processes name the accounts in one order, one in the other: the store's fixed order must hold
                String tables = name.equals("p2") ? "people,visits" : "visits,people";
                processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        System.getProperty("java.class.path"), ChargingServer.class.getName(), url, name,
                        Integer.toString(attempts / 3), tables).redirectErrorStream(true).start());
            }
            int granted = 0;
            for (Process process : processes) {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.exitValue()).as(output).isZero();
                granted += Integer.parseInt(output.substring(output.indexOf("granted=") + 8).trim());
            }

            assertThat(granted).isEqualTo(oracle(attempts));
            assertThat(store.remaining(PEOPLE).spent().fits(PEOPLE_CAP)).isTrue();
            assertThat(store.remaining(VISITS).spent().fits(VISITS_CAP)).isTrue();
            assertThat(references(store.receipts(VISITS))).hasSize(granted).isEqualTo(references(store.receipts(PEOPLE)));
        }
    }

    /** How many of {@code attempts} charges one caller gets from an in-memory store with the same caps. */
    private static int oracle(int attempts) {
        InMemoryBudgetStore oracle = new InMemoryBudgetStore(Clock.systemUTC());
        oracle.define(VISITS, VISITS_CAP);
        oracle.define(PEOPLE, PEOPLE_CAP);
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            try {
                oracle.spendAllOnce(List.of(VISITS, PEOPLE), Charge.query(PrivacyLoss.pure(0.1), "o-" + i));
                granted++;
            } catch (BudgetException refused) {
                // counted by what was granted
            }
        }
        return granted;
    }

    private static Set<String> references(List<Receipt> receipts) {
        return receipts.stream().map(r -> r.charge().reference()).collect(Collectors.toSet());
    }
}
