package org.datasandbox.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.job.JobManager;
import org.datasandbox.core.ledger.LedgerEntry;

/** The jobs (state, who, when) and one job: its SQL, state, the guard's decision and its ledger entries. */
final class JobsPage {
    /** The list shows the newest jobs; older ones stay in the ledger. */
    static final int LIST_LIMIT = 200;

    private final Sandbox sandbox;

    JobsPage(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    ConsoleResponse list(ConsoleRequest request) throws java.io.IOException {
        List<List<String>> rows = new ArrayList<>();
        for (LedgerJobs.JobHistory job : LedgerJobs.all(sandbox.ledger().entries()).stream().limit(LIST_LIMIT).toList()) {
            rows.add(List.of(Html.link("/jobs/" + job.id(), job.id()), Html.text(job.scenario()), Html.text(job.owner()),
                    Html.text(job.submitted()), state(request, job)));
        }
        return request.page("Jobs", "<p class=\"muted\">From the evidence ledger, newest first (at most " + LIST_LIMIT
                + ").</p>" + Html.table("jobs", List.of("job", "scenario", "developer", "submitted", "state"), rows));
    }

    ConsoleResponse one(ConsoleRequest request) throws java.io.IOException {
        String id = request.parameter(0);
        LedgerJobs.JobHistory job = LedgerJobs.one(sandbox.ledger().entries(), id)
                .orElseThrow(() -> SandboxException.notFound("job '" + id + "'"));
        Optional<JobManager.Overview> live = sandbox.jobOverview(request.caller(), id);
        StringBuilder body = new StringBuilder("<dl class=\"facts\">");
        fact(body, "scenario", Html.text(job.scenario()));
        fact(body, "developer", Html.text(job.owner()));
        fact(body, "submitted", Html.text(job.submitted()));
        fact(body, "state", state(request, job));
        job.decision().ifPresent(d -> {
            fact(body, "guard decision", "<span class=\"decision\">" + Html.text(d.details().getOrDefault("decision", ""))
                    + "</span>");
            fact(body, "rewrites", Html.text(d.details().getOrDefault("rewrites", "")));
            fact(body, "tables", Html.text(d.details().getOrDefault("tables", "")));
            fact(body, "output columns", Html.text(d.details().getOrDefault("outputColumns", "")));
            fact(body, "k", Html.text(d.details().getOrDefault("k", "")));
        });
        if (request.caller().role() == org.datasandbox.core.identity.Role.REVIEWER
                || request.caller().role() == org.datasandbox.core.identity.Role.ADMIN) {
            sandbox.reviewDesk().forJob(id).ifPresent(r -> fact(body, "release request",
                    Html.link("/reviews/" + r.id(), r.id()) + " (" + Html.text(r.status().name()) + ")"));
        }
        body.append("</dl><h2>SQL</h2>");
        String hash = job.entries().get(0).details().getOrDefault("sqlHash", "");
        body.append("<p>As submitted: not kept (its text may hold values); its hash <code class=\"hash\">")
                .append(Html.text(hash)).append("</code>.</p>");
        body.append("<p>As rewritten by the guard and run:</p>");
        body.append(live.map(o -> "<pre class=\"sql\">" + Html.text(o.rewrittenSql()) + "</pre>")
                .orElse("<p class=\"muted\">no longer kept (the sandbox forgets finished jobs after their retention or a restart)</p>"));
        body.append("<h2>Ledger entries</h2>").append(entries(job.entries()));
        return request.page("Job " + id, body.toString());
    }

    private String state(ConsoleRequest request, LedgerJobs.JobHistory job) {
        // a running job has no ledger entry yet: the job manager knows it
        String state = job.state();
        if (state.equals("QUEUED")) {
            state = sandbox.jobOverview(request.caller(), job.id()).map(o -> o.state().name()).orElse(state);
        }
        String css = state.startsWith("RELEASED") ? "ok" : state.startsWith("FAILED") || state.equals("REFUSED") ? "bad" : "";
        return "<span class=\"state " + css + "\">" + Html.text(state) + "</span>";
    }

    private static void fact(StringBuilder body, String name, String html) {
        body.append("<dt>").append(Html.text(name)).append("</dt><dd>").append(html).append("</dd>");
    }

    /** Ledger entries as a table; their details hold ids, hashes, rules and counts, never data values. */
    static String entries(List<LedgerEntry> entries) {
        List<List<String>> rows = new ArrayList<>();
        for (LedgerEntry e : entries) {
            StringBuilder details = new StringBuilder();
            e.details().forEach((k, v) -> details.append("<span class=\"kv\">").append(Html.text(k)).append("=")
                    .append(Html.text(v)).append("</span> "));
            rows.add(List.of(Long.toString(e.sequence()), Html.text(e.time()), Html.text(e.actor() + " (" + e.role() + ")"),
                    "<code>" + Html.text(e.action()) + "</code>", details.toString().trim(),
                    "<code class=\"hash\">" + Html.text(e.hash().substring(0, Math.min(16, e.hash().length()))) + "</code>"));
        }
        return Html.table("ledger", List.of("seq", "time", "actor", "action", "details", "hash"), rows);
    }
}
