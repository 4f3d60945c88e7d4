package org.datasandbox.dp.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.datasandbox.dp.DpPreconditions;

/**
 * An epsilon to spend under sequential composition: every mechanism takes its share with
 * {@link #spend}, and spending more than the total is refused rather than rounded.
 */
public final class PrivacyBudget {
    private static final MathContext SHARE = new MathContext(6, RoundingMode.DOWN);

    private final BigDecimal total;
    private BigDecimal spent = BigDecimal.ZERO;

    private PrivacyBudget(BigDecimal total) {
        this.total = DpPreconditions.checkEpsilon(total);
    }

    public static PrivacyBudget of(BigDecimal total) {
        return new PrivacyBudget(total);
    }

    /** {@code epsilon / parts}, rounded down to six significant digits so that the parts never add up to more. */
    public static BigDecimal share(BigDecimal epsilon, long parts) {
        DpPreconditions.checkPositive(parts, "parts");
        return epsilon.divide(BigDecimal.valueOf(parts), SHARE).stripTrailingZeros();
    }

    /** Takes {@code epsilon} from what is left; refuses if that is more than what is left. */
    public synchronized BigDecimal spend(BigDecimal epsilon) {
        DpPreconditions.checkEpsilon(epsilon);
        BigDecimal after = spent.add(epsilon);
        if (after.compareTo(total) > 0) {
            throw new IllegalStateException("the privacy budget is spent: " + spent.toPlainString() + " of "
                    + total.toPlainString() + " used, " + epsilon.toPlainString() + " more asked");
        }
        spent = after;
        return epsilon;
    }

    public BigDecimal total() {
        return total;
    }

    public synchronized BigDecimal spent() {
        return spent;
    }
}
