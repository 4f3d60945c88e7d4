package org.datasandbox.api.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.datasandbox.core.quality.QualityDesk;
import org.datasandbox.core.quality.QualityIssue;

/**
 * The data-quality issues still waiting for an answer, overdue ones first: table, category, who filed it and when,
 * the deadline and how far past it. The description is shown escaped; it was checked to carry no values.
 */
final class QualityPage {
    private final java.util.function.Supplier<QualityDesk> desk;

    QualityPage(java.util.function.Supplier<QualityDesk> desk) {
        this.desk = desk;
    }

    ConsoleResponse render(ConsoleRequest request) {
        QualityDesk quality = desk.get();
        Instant now = quality.now();
        List<QualityIssue> open = new ArrayList<>(quality.list(request.caller(), false).stream()
                .filter(QualityIssue::open).toList());
        open.sort(java.util.Comparator.comparing((QualityIssue i) -> !i.overdue(now))
                .thenComparing(i -> Instant.parse(i.deadline())));
        List<List<String>> rows = new ArrayList<>();
        for (QualityIssue issue : open) {
            boolean overdue = issue.overdue(now);
            rows.add(List.of(
                    "<span class=\"id\">" + Html.text(issue.id()) + "</span>",
                    "<span class=\"" + (overdue ? "flag" : "mode") + "\">" + (overdue ? "overdue" : "open") + "</span>",
                    Html.text(issue.table()),
                    Html.text(issue.category()),
                    Html.text(issue.description()),
                    Html.text(issue.filedBy()) + "<br><span class=\"muted\">" + Html.text(issue.filed()) + "</span>",
                    Html.text(issue.deadline())));
        }
        long overdue = open.stream().filter(i -> i.overdue(now)).count();
        String summary = "<p>" + open.size() + " open, " + overdue + " overdue (answer due within "
                + QualityDesk.DEADLINE_WORKING_DAYS + " working days, calendar " + Html.text(quality.calendar().zone().getId())
                + ")</p>";
        return request.page("Data quality", summary + Html.table("quality",
                List.of("issue", "state", "table", "category", "description", "filed", "due"), rows));
    }
}
