package org.datasandbox.core.policy;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;

/**
 * The term of an authorization (Art. 9: at most 3 years). A scenario is in force from the day it is applied
 * up to, not including, its {@code expires} day (UTC). A document that states no end gets the longest term,
 * 3 years from the day it is applied; one that states an end in the past or beyond 3 years is refused.
 */
public final class ScenarioTerms {
    /** The longest term of an authorization, and the default of a scenario that states none. */
    public static final Period MAX_TERM = Period.ofYears(3);

    private final Clock clock;

    public ScenarioTerms(Clock clock) {
        this.clock = clock;
    }

    public java.time.Instant now() {
        return clock.instant();
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** The latest end a scenario applied today may have. */
    public LocalDate latestEnd() {
        return today().plus(MAX_TERM);
    }

    /** The end of the term of a scenario applied today: the one it states, or the longest. */
    public LocalDate termOf(ScenarioPolicy scenario) throws PolicyException {
        if (scenario.expires() == null) {
            return latestEnd();
        }
        if (!scenario.expires().isAfter(today())) {
            throw new PolicyException(0, 0, "expires (" + scenario.expires() + ") must be after today (" + today() + ")");
        }
        if (scenario.expires().isAfter(latestEnd())) {
            throw new PolicyException(0, 0, "expires (" + scenario.expires() + ") is more than 3 years away: an "
                    + "authorization lasts at most 3 years (until " + latestEnd() + " if applied today)");
        }
        return scenario.expires();
    }

    /**
     * Refuses a scenario whose term has ended, for every use of it (jobs, samples, DP releases): FAILED_PRECONDITION,
     * its ErrorInfo naming the scenario and the day it ended. Callers check first that the caller may see it.
     */
    public void requireInForce(ScenarioPolicy scenario) {
        if (!scenario.inForceOn(today())) {
            throw new SandboxException(ErrorCode.SCENARIO_EXPIRED, "Scenario '" + scenario.id() + "' expired on "
                    + scenario.expires() + ": its authorization has ended; apply for a new one",
                    Map.of("scenario", scenario.id(), "expires", scenario.expires().toString()));
        }
    }
}
