package org.datasandbox.sample.release;

import java.util.Objects;
import org.datasandbox.sample.sampling.CodedBandLadder;
import org.datasandbox.sample.sampling.DateLadder;
import org.datasandbox.sample.sampling.Generalization;
import org.datasandbox.sample.sampling.NumberLadder;

/**
 * How coarse one shown column's values are after its mask: as masked, floored to multiples of a width (under
 * a cap, for a top-coded band), truncated to a date step, or empty. Public information (from the policy and the anonymizer's levels), so it
 * may be stored and logged.
 *
 * @param kind what the generalization is
 * @param width the multiple of a {@link Kind#MULTIPLES} cell, else 0
 * @param step the unit of a {@link Kind#DATE} cell, else empty
 * @param cap the lower edge of a {@link Kind#CODED} cell's open top band, else 0
 */
public record ShownCell(Kind kind, double width, String step, double cap) {

    /** The kinds of cell, from the value as masked to no value. */
    public enum Kind {
        AS_MASKED, MULTIPLES, DATE, REMOVED,
        /** Multiples of a width below a cap, and the cap for everything at or above it (a top-coded band). */
        CODED
    }

    public ShownCell {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(step, "step");
        if ((kind == Kind.MULTIPLES || kind == Kind.CODED) && !(width > 0)) {
            throw new IllegalArgumentException("width must be > 0. Provided value: " + width);
        }
        if (kind == Kind.DATE) {
            DateLadder.Step.valueOf(step);
        }
    }

    public ShownCell(Kind kind, double width, String step) {
        this(kind, width, step, 0);
    }

    public static ShownCell asMasked() {
        return new ShownCell(Kind.AS_MASKED, 0, "");
    }

    public static ShownCell removed() {
        return new ShownCell(Kind.REMOVED, 0, "");
    }

    /** The cell of a column generalized to {@code level} along {@code ladder}. */
    public static ShownCell of(Generalization ladder, int level) {
        if (level == 0) {
            return asMasked();
        }
        if (level >= ladder.levels()) {
            return removed();
        }
        if (ladder instanceof NumberLadder numbers) {
            return new ShownCell(Kind.MULTIPLES, numbers.widths().get(level - 1), "");
        }
        if (ladder instanceof CodedBandLadder coded) {
            CodedBandLadder.Step step = coded.steps().get(level);
            return new ShownCell(Kind.CODED, step.width(), "", step.cap());
        }
        if (ladder instanceof DateLadder dates) {
            return new ShownCell(Kind.DATE, 0, DateLadder.Step.values()[dates.start().ordinal() + level].name());
        }
        return removed();
    }

    /**
     * Whether every value of this cell is a function of the value of {@code earlier} (same mask): then a person's
     * value here tells nothing their earlier value did not. Multiples nest only when the wider width is a whole
     * multiple of the narrower (bands of 20 do not nest in bands of 50); date steps nest in order.
     */
    public boolean determinedBy(ShownCell earlier) {
        return switch (kind) {
            case REMOVED -> true;
            case AS_MASKED -> earlier.kind == Kind.AS_MASKED;
            case MULTIPLES -> earlier.kind == Kind.AS_MASKED || earlier.kind == Kind.MULTIPLES && nests(earlier.width, width);
            // the same mask, so the same origin: wider bands that nest under a cap no higher merge earlier bands only
            case CODED -> earlier.kind == Kind.AS_MASKED || earlier.kind == Kind.CODED && nests(earlier.width, width)
                    && cap <= earlier.cap + 1e-9 * Math.abs(earlier.cap) && nests(earlier.width, Math.abs(earlier.cap - cap) + earlier.width);
            case DATE -> earlier.kind == Kind.AS_MASKED || earlier.kind == Kind.DATE
                    && DateLadder.Step.valueOf(earlier.step).ordinal() <= DateLadder.Step.valueOf(step).ordinal();
        };
    }

    private static boolean nests(double narrow, double wide) {
        double ratio = wide / narrow;
        return ratio >= 1 - 1e-9 && Math.abs(ratio - Math.rint(ratio)) < 1e-9;
    }
}
