package org.datasandbox.masking.detect;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.datasandbox.masking.policy.MaskingSpec;

/**
 * What the profiler proposes for one column, for an admin to accept or edit. Typed, so that whoever
 * writes it down (a policy draft) never parses or concatenates policy syntax.
 *
 * @param mask the proposed mask; empty for the role's default
 * @param bounds the proposed clamping range of a number; empty when none is proposed
 * @param bucket the proposed generalisation of a quasi-identifier; empty when none is proposed
 * @param evidence why, in words and shares: never a value
 */
public record ColumnProposal(String column, Role role, Optional<MaskingSpec> mask, Optional<Bounds> bounds,
                             Optional<Bucket> bucket, String evidence) {

    /** The roles of a table policy, as the profiler knows them. */
    public enum Role {
        PRIVACY_UNIT, DIRECT_IDENTIFIER, QUASI_IDENTIFIER, SENSITIVE_ATTRIBUTE, DIMENSION, MEASURE;

        /** The name a policy file uses. */
        public String policyName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A proposed range, rounded outward from the data. */
    public record Bounds(BigDecimal lower, BigDecimal upper) {
        public Bounds {
            Objects.requireNonNull(lower, "lower");
            Objects.requireNonNull(upper, "upper");
            if (lower.compareTo(upper) > 0) {
                throw new IllegalArgumentException("lower must be <= upper. Provided values: " + lower + ", " + upper);
            }
        }
    }

    /** A proposed bucket: a width for numbers or a unit for dates, exactly one of the two. */
    public record Bucket(Optional<Integer> width, Optional<String> dateUnit) {
        public Bucket {
            Objects.requireNonNull(width, "width");
            Objects.requireNonNull(dateUnit, "dateUnit");
            if (width.isPresent() == dateUnit.isPresent()) {
                throw new IllegalArgumentException("a bucket has a width or a date unit, not both or neither");
            }
        }

        public static Bucket ofWidth(int width) {
            return new Bucket(Optional.of(width), Optional.empty());
        }

        public static Bucket ofDates(String unit) {
            return new Bucket(Optional.empty(), Optional.of(unit));
        }
    }

    public ColumnProposal {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** A proposal with the role's default mask and nothing else. */
    static ColumnProposal of(String column, Role role, String evidence) {
        return new ColumnProposal(column, role, Optional.empty(), Optional.empty(), Optional.empty(), evidence);
    }

    static ColumnProposal masked(String column, Role role, MaskingSpec mask, String evidence) {
        return new ColumnProposal(column, role, Optional.of(mask), Optional.empty(), Optional.empty(), evidence);
    }

    ColumnProposal withBounds(Bounds newBounds) {
        return new ColumnProposal(column, role, mask, Optional.of(newBounds), bucket, evidence);
    }

    ColumnProposal withBucket(Bucket newBucket) {
        return new ColumnProposal(column, role, mask, bounds, Optional.of(newBucket), evidence);
    }
}
