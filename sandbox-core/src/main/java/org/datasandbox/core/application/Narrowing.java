package org.datasandbox.core.application;

import java.util.Map;
import java.util.Set;
import org.datasandbox.core.SandboxException;

/**
 * What an admin takes away from an application before approving it: fewer tables or columns, a shorter term, a
 * stricter output (threshold to dp, a larger k) or a smaller budget. Each field left empty (null, 0, empty) keeps
 * what was asked. Anything that would widen the application is refused: a narrowing never grants more.
 */
public record Narrowing(Map<String, Set<String>> grants, int termDays, String mode, int minGroupSize, double epsilon) {
    public Narrowing {
        grants = grants == null ? Map.of() : Map.copyOf(grants);
        if (termDays < 0 || minGroupSize < 0 || epsilon < 0) {
            throw SandboxException.invalid("a narrowing has no negative term, k or epsilon");
        }
    }

    /** The application as narrowed, refused if any part is not the same as asked or stricter. */
    public ApplicationRequest apply(ApplicationRequest asked) {
        Map<String, Set<String>> narrowedGrants = grants.isEmpty() ? asked.grants() : grants;
        for (Map.Entry<String, Set<String>> grant : narrowedGrants.entrySet()) {
            Set<String> askedColumns = asked.grants().get(grant.getKey());
            if (askedColumns == null) {
                throw SandboxException.invalid("table '" + grant.getKey() + "' was not asked for: a narrowing only "
                        + "takes tables and columns away");
            }
            if (grant.getValue() == null || !askedColumns.containsAll(grant.getValue())) {
                throw SandboxException.invalid("the columns of table '" + grant.getKey() + "' must be some of those "
                        + "asked for: a narrowing only takes columns away");
            }
        }
        int term = termDays == 0 ? asked.termDays() : termDays;
        if (term > asked.termDays()) {
            throw SandboxException.invalid("the term can only be shortened (" + asked.termDays() + " days asked)");
        }
        String narrowedMode = mode == null || mode.isBlank() ? asked.mode() : mode;
        if (asked.mode().equals("dp") && !narrowedMode.equals("dp")) {
            throw SandboxException.invalid("a dp application stays dp: threshold releases exact values");
        }
        int k = narrowedMode.equals("dp") ? 0 : minGroupSize == 0 ? asked.minGroupSize() : minGroupSize;
        if (narrowedMode.equals("threshold") && k < asked.minGroupSize()) {
            throw SandboxException.invalid("k can only be raised (" + asked.minGroupSize() + " asked)");
        }
        double budget = epsilon == 0 ? asked.epsilon() : epsilon;
        if (budget > asked.epsilon()) {
            throw SandboxException.invalid("the budget can only be lowered (epsilon " + asked.epsilon() + " asked)");
        }
        return new ApplicationRequest(asked.scenarioId(), asked.organization(), asked.purpose(), narrowedGrants,
                asked.plannedOutputs(), narrowedMode, k, budget, term, asked.developers());
    }
}
