package org.datasandbox.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charges on two accounts at once from three processes on one budget directory (three servers): whatever the
 * interleaving, no account passes its cap and every charge is on both accounts or on neither. The second account
 * has the smaller cap, so that a charge taken on the first and refused by the second would show.
 */
class FileBudgetStoreProcessesTest {
    private static final BudgetKey VISITS = new BudgetKey("s", "visits");
    private static final BudgetKey PEOPLE = new BudgetKey("s", "people");

    @TempDir
    Path dir;

    @Test
    void spendAllOnce_threeProcessesOnTwoAccounts_neverPastTheCapAndAllOrNone() throws Exception {
        FileBudgetStore store = FileBudgetStore.open(dir, Clock.systemUTC());
        store.define(VISITS, new LifetimeBudget(2, 1e-5));
        store.define(PEOPLE, new LifetimeBudget(1, 1e-5)); // ten charges of 0.1, by basic composition

        List<Process> processes = new ArrayList<>();
        for (String name : List.of("p1", "p2", "p3")) {
            // two processes lock in one order, one in the other: the store's fixed order must hold anyway
            String tables = name.equals("p2") ? "people,visits" : "visits,people";
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ChargingProcess.class.getName(), dir.toString(), name, "6",
                    tables).redirectErrorStream(true).start());
        }
        int granted = 0;
        for (Process process : processes) {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = output(process);
            assertThat(process.exitValue()).as(output).isZero();
            granted += Integer.parseInt(output.substring(output.indexOf("granted=") + 8).trim());
        }

        assertThat(granted).isEqualTo(10);
        assertThat(store.remaining(PEOPLE).spent().fits(store.remaining(PEOPLE).lifetime())).isTrue();
        assertThat(references(store.receipts(VISITS))).hasSize(10).isEqualTo(references(store.receipts(PEOPLE)));
    }

    private static Set<String> references(List<Receipt> receipts) {
        return receipts.stream().map(r -> r.charge().reference()).collect(Collectors.toSet());
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
