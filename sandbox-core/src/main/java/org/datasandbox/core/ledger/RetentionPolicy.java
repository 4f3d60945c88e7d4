package org.datasandbox.core.ledger;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How long ledger entries stay in the live ledger at least. Art. 18 asks that logs be kept at least 6
 * months, so no policy may go below that; an entry younger than the minimum is never archived or pruned,
 * and an older one leaves the live ledger only as a verifiable extract ({@link EvidenceLedger#archive}).
 *
 * @param minimum the least age of an entry that may be archived, in whole months (at least 6)
 */
public record RetentionPolicy(Period minimum) {
    /** Art. 18's minimum, and the default. */
    public static final RetentionPolicy ART_18 = new RetentionPolicy(Period.ofMonths(6));

    public RetentionPolicy {
        Objects.requireNonNull(minimum, "minimum");
        if (minimum.getDays() != 0 || minimum.isNegative() || minimum.toTotalMonths() < 6) {
            throw new IllegalArgumentException("the ledger's retention minimum is a whole number of months, at least 6 "
                    + "(Art. 18); provided value: " + minimum);
        }
    }

    /** The latest time an entry may carry to be archived at {@code now}. */
    public Instant cutoff(Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(minimum).toInstant();
    }
}
