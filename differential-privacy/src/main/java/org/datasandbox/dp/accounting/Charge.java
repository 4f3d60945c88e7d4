package org.datasandbox.dp.accounting;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One spend: the loss of a release, what it is for and what it refers to (a job id, a fit id, a hash of
 * the rewritten query). Purpose and reference are short identifiers, never data values.
 */
public record Charge(PrivacyLoss loss, Purpose purpose, String reference) {
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");

    /** Who spends. */
    public enum Purpose {
        QUERY,
        SYNTHETIC_FIT,
        PARTITION_SELECTION
    }

    public Charge {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(purpose, "purpose");
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException("reference must be an identifier of letters, digits, '_', '.', ':' or '-'");
        }
        if (loss.equals(PrivacyLoss.NONE)) {
            throw new IllegalArgumentException("a charge must spend something: a release that spends nothing needs no charge");
        }
    }

    public static Charge query(PrivacyLoss loss, String reference) {
        return new Charge(loss, Purpose.QUERY, reference);
    }

    public static Charge syntheticFit(PrivacyLoss loss, String reference) {
        return new Charge(loss, Purpose.SYNTHETIC_FIT, reference);
    }
}
