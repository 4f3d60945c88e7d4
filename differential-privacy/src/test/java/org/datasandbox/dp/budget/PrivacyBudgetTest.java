package org.datasandbox.dp.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PrivacyBudgetTest {

    @Test
    void share_roundsDownSoThatThePartsNeverExceedTheWhole() {
        BigDecimal third = PrivacyBudget.share(BigDecimal.ONE, 3);
        assertThat(third).isEqualByComparingTo("0.333333");
        PrivacyBudget budget = PrivacyBudget.of(BigDecimal.ONE);
        for (int i = 0; i < 3; i++) {
            budget.spend(third);
        }
        assertThat(budget.spent()).isLessThanOrEqualTo(BigDecimal.ONE);
    }

    @Test
    void spend_beyondTheTotal_isRefusedAndSpendsNothing() {
        PrivacyBudget budget = PrivacyBudget.of(new BigDecimal("0.5"));
        budget.spend(new BigDecimal("0.4"));
        assertThatThrownBy(() -> budget.spend(new BigDecimal("0.2"))).hasMessageContaining("privacy budget is spent");
        assertThat(budget.spent()).isEqualByComparingTo("0.4");
        budget.spend(new BigDecimal("0.1"));
        assertThat(budget.spent()).isEqualByComparingTo("0.5");
    }
}
