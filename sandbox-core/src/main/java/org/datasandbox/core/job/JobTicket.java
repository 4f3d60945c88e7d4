package org.datasandbox.core.job;

import java.util.List;
import org.datasandbox.guard.explain.RuleId;

/** What a developer gets back for an accepted job: its id, the SQL that will run, and the rewrites applied. */
public record JobTicket(String jobId, String scenario, String rewrittenSql, List<RuleId> rewrites) {

    public JobTicket {
        rewrites = List.copyOf(rewrites);
    }
}
