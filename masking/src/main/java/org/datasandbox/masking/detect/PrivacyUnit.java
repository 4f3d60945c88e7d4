package org.datasandbox.masking.detect;

import static org.datasandbox.masking.detect.ColumnProfiler.cardinality;
import static org.datasandbox.masking.detect.ColumnProfiler.fractional;
import static org.datasandbox.masking.detect.ColumnProfiler.hints;
import static org.datasandbox.masking.detect.ColumnProfiler.keyName;
import static org.datasandbox.masking.detect.ColumnProfiler.keyType;
import static org.datasandbox.masking.detect.ColumnProfiler.lower;

import java.util.ArrayList;
import java.util.List;
import org.datasandbox.masking.detect.ColumnProposal.Role;

/**
 * Chooses the privacy unit: the column that identifies people, which on a table of several rows per
 * person (visits, follow-ups) repeats, rather than whatever happens to be distinct per row. Candidates are
 * whole-number or short-code columns without fractions and not named like a quantity, in tiers: a key named
 * after people (patient_id, subject), then any key (id, *_no) with many values, then a column distinct per
 * row, then the column with the most values. A measurement, a date or a timestamp is never the unit.
 */
final class PrivacyUnit {
    private static final String[] PEOPLE = {"person", "patient", "resident", "citizen", "customer", "user", "member",
        "subject", "participant", "client", "employee", "student", "passenger", "individual", "人员", "患者", "居民"};
    private static final String[] PERSON_KEYS = {"pid", "subject", "subject_id", "subj", "participant", "patient", "person",
        "mrn"};
    /** Masks that only hide: a column proposed with one of these may become the unit, pseudonymised. */
    private static final List<String> OVERRIDABLE = List.of("redact", "nullify", "pseudonym");
    /** A key with fewer values than one per this many rows is a category (a ward, a hospital), not people. */
    private static final int MOST_ROWS_PER_PERSON = 20;

    private PrivacyUnit() {
    }

    /** The proposals with exactly one privacy unit; the other key candidates stay identifiers. */
    static List<ColumnProposal> choose(List<ColumnProfile> columns, List<ColumnProposal> proposals) {
        List<ColumnProposal> chosen = new ArrayList<>(proposals);
        int best = -1;
        int bestTier = Integer.MAX_VALUE;
        int rivals = 0;
        for (int i = 0; i < columns.size(); i++) {
            int tier = tier(columns.get(i), proposals.get(i));
            if (tier < bestTier) {
                best = i;
                bestTier = tier;
                rivals = 0;
            } else if (tier == bestTier && tier < Integer.MAX_VALUE) {
                rivals++;
            }
        }
        if (best < 0) {
            best = mostDistinct(columns);
        }
        ColumnProfile unit = columns.get(best);
        String evidence = switch (bestTier) {
            case 0 -> "the name reads like the key of a person; " + cardinality(unit);
            case 1 -> "the name reads like a key, with " + cardinality(unit)
                    + (repeats(unit) ? ": repeated ids are one person's rows" : "");
            case 2 -> "every value is distinct, but the name does not read like a key";
            default -> "no column reads like a person key: the one with the most distinct values";
        };
        boolean unsure = bestTier >= 2 || rivals > 0;
        if (rivals > 0) {
            evidence += "; " + rivals + " other column" + (rivals == 1 ? "" : "s") + " could be the key as well";
        }
        chosen.set(best, ColumnProposal.masked(unit.name(), Role.PRIVACY_UNIT,
                keyType(unit) ? ColumnProfiler.PSEUDONYM : ColumnProfiler.hiding(unit), evidence + (unsure ? "; check it" : "")));
        return chosen;
    }

    /**
     * 0 to 2 for candidates (lower is better), {@code MAX_VALUE} for a column that cannot identify people or
     * that has a better mask of its own (a phone number, a resident ID, an age).
     */
    private static int tier(ColumnProfile column, ColumnProposal proposal) {
        String name = lower(column);
        boolean ownMask = proposal.mask().filter(m -> !OVERRIDABLE.contains(m.function())).isPresent();
        boolean candidate = !ownMask && proposal.role() != Role.QUASI_IDENTIFIER && proposal.role() != Role.SENSITIVE_ATTRIBUTE
                && keyType(column) && !fractional(column) && !hints(name, ColumnProfiler.MEASURES)
                && (column.type().equals("string") ? ColumnProfiler.codeLike(column) || column.values().isEmpty() : true)
                && column.distinct() > 0;
        if (!candidate) {
            return Integer.MAX_VALUE;
        }
        boolean key = keyName(name);
        boolean people = hints(name, PEOPLE);
        if (key && people || List.of(PERSON_KEYS).contains(name)) {
            return 0;
        }
        if (key && column.distinct() * MOST_ROWS_PER_PERSON >= column.rows()) {
            return 1;
        }
        if (ColumnProfiler.unique(column) && !column.type().equals("string") || ColumnProfiler.unique(column)
                && ColumnProfiler.maxLength(column) <= 40) {
            return 2;
        }
        return Integer.MAX_VALUE;
    }

    private static boolean repeats(ColumnProfile column) {
        return column.distinct() < column.rows() && !ColumnProfiler.unique(column);
    }

    /**
     * The fallback: the column with the most values, among whole numbers and codes not named like a
     * quantity when there are any, else among the columns pseudonyms apply to, else among all.
     */
    private static int mostDistinct(List<ColumnProfile> columns) {
        int most = 0;
        for (int i = 1; i < columns.size(); i++) {
            int rank = rank(columns.get(i));
            int best = rank(columns.get(most));
            most = rank > best || rank == best && columns.get(i).distinct() > columns.get(most).distinct() ? i : most;
        }
        return most;
    }

    private static int rank(ColumnProfile column) {
        if (!keyType(column)) {
            return 0;
        }
        return fractional(column) || hints(lower(column), ColumnProfiler.MEASURES) ? 1 : 2;
    }
}
