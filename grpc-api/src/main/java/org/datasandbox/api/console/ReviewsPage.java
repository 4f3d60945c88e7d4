package org.datasandbox.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;
import org.datasandbox.core.review.DisclosureReport;
import org.datasandbox.core.review.ReleaseRequest;
import org.datasandbox.core.review.ReleaseStatus;
import org.datasandbox.core.review.ReviewDecision;
import org.datasandbox.core.review.ReviewVote;

/**
 * The release review: the queue, one request with its result and disclosure report (cells below k highlighted,
 * dominance and differencing flags, a bar chart of the released distribution), and the reviewer's decision.
 * The output under review is shown to reviewers and admins only: it is what would be released.
 */
final class ReviewsPage {
    /** Rows of the held output shown on the page; the report covers all. */
    static final int MAX_ROWS = 200;

    private final Sandbox sandbox;

    ReviewsPage(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    ConsoleResponse queue(ConsoleRequest request) {
        List<List<String>> rows = new ArrayList<>();
        for (ReleaseRequest r : sandbox.releaseRequests(request.caller(), Optional.empty())) {
            rows.add(List.of(Html.link("/reviews/" + r.id(), r.id()), Html.link("/jobs/" + r.jobId(), r.jobId()),
                    Html.text(r.scenario()), Html.text(r.requester()), Html.text(r.reason().name()),
                    Long.toString(r.rows()), flaggedSummary(r.report()),
                    r.approvals() + " of " + r.requiredApprovals(), status(r.status()), Html.text(r.createdAt())));
        }
        return request.page("Release reviews", "<p class=\"muted\">Outputs the rules did not release on their own, "
                + "newest first.</p>" + Html.table("queue", List.of("request", "job", "scenario", "requester", "held because",
                "rows", "flags", "approvals", "status", "created"), rows));
    }

    ConsoleResponse one(ConsoleRequest request) {
        ReleaseRequest r = sandbox.releaseRequest(request.caller(), request.parameter(0));
        StringBuilder body = new StringBuilder("<dl class=\"facts\">");
        fact(body, "status", status(r.status()));
        fact(body, "job", Html.link("/jobs/" + r.jobId(), r.jobId()));
        fact(body, "scenario", Html.text(r.scenario()));
        fact(body, "requester", Html.text(r.requester()));
        fact(body, "held because", Html.text(r.reason().name()));
        fact(body, "rows", Long.toString(r.rows()));
        fact(body, "approvals", r.approvals() + " of " + r.requiredApprovals() + " (distinct reviewers, never the requester)");
        fact(body, "result hash", "<code class=\"hash\">" + Html.text(r.resultSha()) + "</code>");
        body.append("</dl><h2>SQL</h2><p>As submitted:</p><pre class=\"sql\">").append(Html.text(r.submittedSql()))
                .append("</pre><p>As rewritten by the guard and run:</p><pre class=\"sql\">")
                .append(Html.text(r.rewrittenSql())).append("</pre>");
        body.append("<h2>Disclosure report</h2>").append(report(request, r));
        body.append("<h2>Votes</h2>").append(votes(r.votes()));
        if (request.caller().role() == Role.REVIEWER && r.status() == ReleaseStatus.PENDING) {
            body.append(decisionForm(request, r));
        }
        return request.page("Release request " + r.id(), body.toString());
    }

    ConsoleResponse decide(ConsoleRequest request) {
        String id = request.parameter(0);
        ReviewDecision.Verdict verdict;
        try {
            verdict = ReviewDecision.Verdict.valueOf(request.form().getOrDefault("verdict", ""));
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid("a decision is APPROVE or REJECT");
        }
        sandbox.decideRelease(request.caller(), new ReviewDecision(id, verdict, request.form().get("reason")));
        return ConsoleResponse.redirect("/reviews/" + id);
    }

    private String report(ConsoleRequest request, ReleaseRequest r) {
        DisclosureReport report = r.report();
        StringBuilder out = new StringBuilder("<dl class=\"facts\">");
        fact(out, "k", Integer.toString(report.settings().k()));
        fact(out, "cells", report.cells().size() + " released, " + report.suppressedCells() + " suppressed below k");
        fact(out, "flagged cells", Long.toString(report.flaggedCells()));
        fact(out, "differences earlier releases", report.differencesEarlier() ? "<span class=\"flag\">yes</span>" : "no");
        fact(out, "residual identifiers", report.residualIdentifiers().isEmpty() ? "none"
                : "<span class=\"flag\">" + Html.text(String.join(", ", report.residualIdentifiers())) + "</span>");
        fact(out, "structural zeros", report.structuralZeros().isEmpty() ? "none"
                : Html.text(report.structuralZeros().toString()));
        if (!report.analysed()) {
            fact(out, "note", Html.text(report.note()));
        }
        out.append("</dl>");
        ArrowResults.Table result;
        try {
            result = ArrowResults.decode(sandbox.releaseRequestResult(request.caller(), r.id()));
        } catch (SandboxException e) {
            return out.append("<p class=\"muted\">").append(Html.text(e.getMessage())).append("</p>").toString();
        }
        Map<Integer, DisclosureReport.Cell> cells = new java.util.HashMap<>();
        report.cells().forEach(c -> cells.put(c.row(), c));
        List<String> headers = new ArrayList<>(result.columns());
        headers.add("units");
        headers.add("flags");
        StringBuilder table = new StringBuilder("<table class=\"report\"><thead><tr>");
        headers.forEach(h -> table.append("<th>").append(Html.text(h)).append("</th>"));
        table.append("</tr></thead><tbody>");
        int measure = firstNumericColumn(result, report.groupKeys());
        List<BarChart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < result.rows().size() && i < MAX_ROWS; i++) {
            List<Object> row = result.rows().get(i);
            DisclosureReport.Cell cell = cells.get(i);
            boolean belowK = cell != null && cell.belowK();
            table.append("<tr").append(belowK ? " class=\"below-k\"" : cell != null && cell.flagged() ? " class=\"flagged\"" : "")
                    .append(">");
            row.forEach(v -> table.append("<td>").append(Html.text(value(v))).append("</td>"));
            table.append("<td>").append(cell == null ? "" : Long.toString(cell.units())).append("</td><td>")
                    .append(cell == null ? "" : flags(cell)).append("</td></tr>");
            if (measure >= 0 && row.get(measure) instanceof Number n) {
                bars.add(new BarChart.Bar(label(result, row, measure), n.doubleValue(), cell != null && cell.flagged()));
            }
        }
        table.append("</tbody></table>");
        out.append(table);
        if (!bars.isEmpty()) {
            out.append("<h3>Released distribution</h3>")
                    .append(BarChart.svg(result.columns().get(measure) + " per cell (flagged cells marked)", bars));
        }
        return out.toString();
    }

    /** A result value as a reviewer reads it: decimals in plain notation, not 1.6E7. */
    private static String value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : v.toString();
        }
        return v.toString();
    }

    private static String flags(DisclosureReport.Cell cell) {
        List<String> flags = new ArrayList<>();
        if (cell.belowK()) {
            flags.add("below k");
        }
        if (cell.zero()) {
            flags.add("zero");
        }
        for (DisclosureReport.Dominance d : cell.dominance()) {
            if (d.pRule()) {
                flags.add("p% rule on " + d.measure() + String.format(Locale.ROOT, " (top share %.0f%%)", 100 * d.topShare()));
            }
            if (d.nkRule()) {
                flags.add("(n,k) rule on " + d.measure() + String.format(Locale.ROOT, " (top share %.0f%%)", 100 * d.topShare()));
            }
        }
        for (DisclosureReport.Difference d : cell.differences()) {
            flags.add("differences " + d.earlierJob() + " row " + d.earlierRow() + " (" + d.unitsOnlyHere()
                    + " units only here, " + d.unitsOnlyThere() + " only there)");
        }
        StringBuilder out = new StringBuilder();
        flags.forEach(f -> out.append("<span class=\"flag\">").append(Html.text(f)).append("</span> "));
        return out.toString().trim();
    }

    /** The first measure of the result: a numeric column that is not a group key of the report. */
    private static int firstNumericColumn(ArrowResults.Table result, List<String> groupKeys) {
        if (result.rows().isEmpty()) {
            return -1;
        }
        List<Object> first = result.rows().get(0);
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i) instanceof Number && !groupKeys.contains(result.columns().get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String label(ArrowResults.Table result, List<Object> row, int measure) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            if (i != measure && !(row.get(i) instanceof Number)) {
                parts.add(String.valueOf(row.get(i)));
            }
        }
        return parts.isEmpty() ? "(all)" : String.join(" / ", parts);
    }

    private static String votes(List<ReviewVote> votes) {
        List<List<String>> rows = new ArrayList<>();
        for (ReviewVote v : votes) {
            rows.add(List.of(Html.text(v.reviewer()), Html.text(v.verdict().name()), Html.text(v.reason()), Html.text(v.at())));
        }
        return Html.table("votes", List.of("reviewer", "verdict", "reason", "at"), rows);
    }

    private static String decisionForm(ConsoleRequest request, ReleaseRequest r) {
        return "<h2>Decision</h2><form method=\"post\" action=\"/reviews/" + Html.text(r.id()) + "/decide\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(request.csrfToken()) + "\">"
                + "<label for=\"reason\">Reason (kept with the request; the ledger records its hash)</label>"
                + "<textarea id=\"reason\" name=\"reason\" required maxlength=\"" + ReviewDecision.MAX_REASON_CHARS
                + "\" rows=\"3\"></textarea>"
                + "<button type=\"submit\" name=\"verdict\" value=\"APPROVE\" class=\"approve\">Approve</button> "
                + "<button type=\"submit\" name=\"verdict\" value=\"REJECT\" class=\"reject\">Reject</button></form>";
    }

    private static String flaggedSummary(DisclosureReport report) {
        long flagged = report.flaggedCells();
        return flagged == 0 && report.residualIdentifiers().isEmpty() ? "none"
                : "<span class=\"flag\">" + flagged + " cells" + (report.residualIdentifiers().isEmpty() ? "" : ", identifiers")
                + "</span>";
    }

    private static String status(ReleaseStatus status) {
        String css = switch (status) {
            case APPROVED -> "ok";
            case REJECTED -> "bad";
            case PENDING -> "";
        };
        return "<span class=\"state " + css + "\">" + Html.text(status.name()) + "</span>";
    }

    private static void fact(StringBuilder body, String name, String html) {
        body.append("<dt>").append(Html.text(name)).append("</dt><dd>").append(html).append("</dd>");
    }
}
