package org.datasandbox.core.metadata;

import java.time.Clock;
import java.util.List;
import org.datasandbox.dp.accounting.BudgetException;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.BudgetStore;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.PrivacyLoss;

/**
 * A separate process standing for a second server on the metadata database: {@code <jdbc url> <name> <attempts>
 * <tables>} tries {@code attempts} charges of pure epsilon 0.1 on the accounts of the comma-separated tables of
 * scenario {@code s}, all at once, and prints how many were granted. Test code only.
 */
public final class ChargingServer {
    private ChargingServer() {
    }

    public static void main(String[] args) throws Exception {
        try (PostgresMetadataStore metadata = PostgresMetadataStore.open(args[0], Clock.systemUTC())) {
            BudgetStore store = metadata.budgets();
            List<BudgetKey> keys = List.of(args[3].split(",")).stream().map(t -> new BudgetKey("s", t)).toList();
            int granted = 0;
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                try {
                    store.spendAllOnce(keys, Charge.query(PrivacyLoss.pure(0.1), args[1] + "-" + i));
                    granted++;
                } catch (BudgetException e) {
                    if (e.reason() != BudgetException.Reason.EXHAUSTED) {
                        throw e;
                    }
                }
            }
            System.out.println("granted=" + granted);
        }
    }
}
