package org.datasandbox.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.dp.accounting.BudgetKey;
import org.datasandbox.dp.accounting.Charge;
import org.datasandbox.dp.accounting.InMemoryBudgetStore;
import org.datasandbox.dp.accounting.LifetimeBudget;
import org.datasandbox.dp.accounting.PrivacyLoss;
import org.junit.jupiter.api.Test;

class ScenarioBudgetsTest {
    private final InMemoryBudgetStore store = new InMemoryBudgetStore(Clock.systemUTC());

    private ScenarioBudgets budgets() throws Exception {
        return new ScenarioBudgets(store, EvidenceLedger.open(Files.createTempDirectory("ledger"),
                CryptoProfile.of(CryptoProfile.Kind.SM)));
    }

    @Test
    void chargeOnce_releasedTableWithoutAnAccount_isRefused() throws Exception {
        ScenarioBudgets budgets = budgets();
        assertThatThrownBy(() -> budgets.chargeOnce("s", List.of("residents"), PrivacyLoss.pure(1),
                Charge.Purpose.SYNTHETIC_FIT, "model-1"))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXHAUSTED));
    }

    @Test
    void chargeOnce_linkedAccounts_payOnceAllOrNone() throws Exception {
        ScenarioBudgets budgets = budgets();
        store.define(new BudgetKey("s", "medical_visits"), new LifetimeBudget(1.5, 1e-5));
        store.define(new BudgetKey("s", "residents"), new LifetimeBudget(10, 1e-5));
        assertThat(budgets.chargeOnce("s", List.of("medical_visits", "residents", "ungranted"), PrivacyLoss.pure(1),
                Charge.Purpose.SYNTHETIC_FIT, "model-1")).hasSize(2);
        assertThat(budgets.chargeOnce("s", List.of("medical_visits", "residents"), PrivacyLoss.pure(1),
                Charge.Purpose.SYNTHETIC_FIT, "model-1")).isEmpty(); // the same model again
        // medical_visits cannot pay a second model: residents is not charged either
        assertThatThrownBy(() -> budgets.chargeOnce("s", List.of("residents", "medical_visits"), PrivacyLoss.pure(1),
                Charge.Purpose.SYNTHETIC_FIT, "model-2")).isInstanceOf(SandboxException.class);
        assertThat(store.receipts(new BudgetKey("s", "residents"))).hasSize(1);
    }
}
