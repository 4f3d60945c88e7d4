package org.datasandbox.core.application;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.datasandbox.core.SandboxException;

/**
 * What an organization asks for: a scenario id, its purpose, the columns of each table it needs (named one by
 * one: an application asks for the minimum necessary, so {@code *} is refused), what it plans to release and
 * how ({@code threshold} with its k, or {@code dp}), the lifetime privacy budget (epsilon per table), a term
 * in days and the developers (real names; the applicant is always one). Names are checked for shape only:
 * whether the tables and columns exist is checked when an admin approves, so that applying tells a developer
 * nothing about tables it may not see.
 */
public record ApplicationRequest(String scenarioId, String organization, String purpose,
                                 Map<String, Set<String>> grants, String plannedOutputs, String mode, int minGroupSize,
                                 double epsilon, int termDays, List<String> developers) {
    static final Pattern SCENARIO_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Longer than any 3-year term; the exact bound is 3 years from the day of the check. */
    static final int MAX_TERM_DAYS = 3 * 366;
    private static final int MAX_TEXT = 4_000;

    public ApplicationRequest {
        if (scenarioId == null || !SCENARIO_ID.matcher(scenarioId).matches()) {
            throw SandboxException.invalid("scenario id must be lower-case letters, digits and '-', starting with a letter");
        }
        organization = required(organization, "organization");
        purpose = required(purpose, "purpose");
        plannedOutputs = required(plannedOutputs, "planned outputs");
        if (grants == null || grants.isEmpty()) {
            throw SandboxException.invalid("an application names at least one table and its columns");
        }
        Map<String, Set<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, Set<String>> grant : grants.entrySet()) {
            if (grant.getKey() == null || !NAME.matcher(grant.getKey()).matches()) {
                throw SandboxException.invalid("table names are lower-case identifiers");
            }
            if (grant.getValue() == null || grant.getValue().isEmpty()) {
                throw SandboxException.invalid("name the columns of table '" + grant.getKey() + "' the scenario needs");
            }
            for (String column : grant.getValue()) {
                if (column == null || !NAME.matcher(column).matches()) {
                    throw SandboxException.invalid("columns of table '" + grant.getKey() + "' are named one by one as "
                            + "lower-case identifiers ('*' is not the minimum necessary)");
                }
            }
            sorted.put(grant.getKey(), Set.copyOf(new TreeSet<>(grant.getValue())));
        }
        grants = Map.copyOf(sorted);
        if (mode == null || mode.isBlank()) {
            mode = "threshold";
        }
        if (!mode.equals("threshold") && !mode.equals("dp")) {
            throw SandboxException.invalid("output mode must be threshold or dp");
        }
        if (mode.equals("dp")) {
            if (minGroupSize != 0) {
                throw SandboxException.invalid("k applies to output mode threshold; dp releases noisy values instead");
            }
        } else if (minGroupSize == 0) {
            minGroupSize = 10;
        } else if (minGroupSize < 2) {
            throw SandboxException.invalid("k must be at least 2");
        }
        if (epsilon == 0) {
            epsilon = 10;
        }
        if (!(epsilon > 0 && epsilon <= 100)) {
            throw SandboxException.invalid("the lifetime budget epsilon must be above 0 and at most 100");
        }
        if (termDays < 1 || termDays > MAX_TERM_DAYS) {
            throw SandboxException.invalid("the term is 1 day to 3 years (at most " + MAX_TERM_DAYS + " days)");
        }
        if (developers == null) {
            developers = List.of();
        }
        for (String developer : developers) {
            if (developer == null || developer.isBlank() || developer.length() > 200) {
                throw SandboxException.invalid("developers are real names, as on their certificates");
            }
        }
        developers = List.copyOf(new java.util.LinkedHashSet<>(developers));
    }

    private static String required(String text, String what) {
        if (text == null || text.isBlank()) {
            throw SandboxException.invalid("an application states its " + what);
        }
        if (text.length() > MAX_TEXT) {
            throw SandboxException.invalid("the " + what + " is longer than " + MAX_TEXT + " characters");
        }
        return text.strip();
    }

    /** The granted columns as the ledger records them: {@code table(col,col);table(col)}, names only. */
    public String grantsText() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(grants).forEach((table, columns) -> text.append(text.isEmpty() ? "" : ";").append(table)
                .append('(').append(String.join(",", new TreeSet<>(columns))).append(')'));
        return text.toString();
    }

    /** The same request with the developers set (the applicant first). */
    public ApplicationRequest withDevelopers(List<String> names) {
        return new ApplicationRequest(scenarioId, organization, purpose, grants, plannedOutputs, mode, minGroupSize,
                epsilon, termDays, names);
    }
}
