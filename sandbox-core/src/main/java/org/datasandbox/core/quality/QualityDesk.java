package org.datasandbox.core.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Access;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;

/**
 * The data-quality workflow: a developer files an issue on a table a scenario in force grants them; the provider who
 * registered the table answers within {@link #DEADLINE_WORKING_DAYS} working days; anyone who may list issues sees
 * which are overdue. Every filing and answer is in the ledger, by ids, names and hashes (never the text).
 */
public final class QualityDesk {
    /** Art. 25: answered within 3 working days. */
    public static final int DEADLINE_WORKING_DAYS = 3;

    /** What the desk needs to know of the catalog and the scenarios. */
    public interface Tables {
        /** Whether a scenario in force grants the developer columns of the table. */
        boolean granted(Identity developer, String table);

        /** The real name of the provider who registered the table, if it exists. */
        Optional<String> registeredBy(String table);
    }

    private final QualityStore store;
    private final WorkingCalendar calendar;
    private final EvidenceLedger ledger;
    private final CryptoProfile crypto;
    private final Supplier<Instant> clock;
    private final Tables tables;
    private final Supplier<String> ids;

    public QualityDesk(QualityStore store, WorkingCalendar calendar, EvidenceLedger ledger, CryptoProfile crypto,
                       Supplier<Instant> clock, Tables tables, Supplier<String> ids) {
        this.store = store;
        this.calendar = calendar;
        this.ledger = ledger;
        this.crypto = crypto;
        this.clock = clock;
        this.tables = tables;
        this.ids = ids;
    }

    public WorkingCalendar calendar() {
        return calendar;
    }

    public Instant now() {
        return clock.get();
    }

    /** Files an issue; a table the developer is not granted is not found, whether it exists or not. */
    public QualityIssue file(Identity developer, String table, String category, String description) {
        Access.require(developer, Role.DEVELOPER);
        String name = table == null ? "" : table.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.isEmpty() || !tables.granted(developer, name)) {
            throw SandboxException.notFound("table '" + (name.matches("[a-z_][a-z0-9_]{0,62}") ? name : "?")
                    + "' among the tables your scenarios grant you");
        }
        String cleanCategory = IssueText.category(category);
        String cleanDescription = IssueText.text(description, "description");
        Instant filed = clock.get();
        Instant deadline = calendar.deadline(filed, DEADLINE_WORKING_DAYS);
        QualityIssue issue = new QualityIssue("dq-" + ids.get(), name, cleanCategory, cleanDescription,
                developer.name(), filed.toString(), deadline.toString(), "", "", "");
        store(issue);
        ledger.append(developer, "quality.filed", issue.id(), Map.of("table", name, "categorySha", sha(cleanCategory),
                "descriptionSha", sha(cleanDescription), "deadline", issue.deadline(),
                "zone", calendar.zone().getId()));
        return issue;
    }

    /** The provider who registered the issue's table answers it, once. */
    public synchronized QualityIssue answer(Identity provider, String id, String answer) {
        Access.require(provider, Role.PROVIDER);
        QualityIssue issue = store.get(id).filter(i -> tables.registeredBy(i.table())
                .map(provider.name()::equals).orElse(false))
                .orElseThrow(() -> SandboxException.notFound("data-quality issue '" + safeId(id)
                        + "' on a table you registered"));
        if (!issue.open()) {
            throw new SandboxException(ErrorCode.NOT_READY, "Data-quality issue '" + issue.id() + "' was answered "
                    + "already, by " + issue.answeredBy());
        }
        String text = IssueText.text(answer, "answer");
        QualityIssue answered = issue.answer(text, provider.name(), clock.get());
        store(answered);
        ledger.append(provider, "quality.answered", answered.id(), Map.of("table", answered.table(),
                "answerSha", sha(text), "deadline", answered.deadline(),
                "late", Boolean.toString(answered.answeredLate())));
        return answered;
    }

    /**
     * The issues a caller may see, oldest first: a developer those they filed, a provider those on tables they
     * registered, an admin or auditor all; with {@code overdueOnly}, those still open at or after their deadline.
     */
    public List<QualityIssue> list(Identity caller, boolean overdueOnly) {
        Access.require(caller, Role.DEVELOPER, Role.PROVIDER, Role.ADMIN, Role.AUDITOR);
        Instant now = clock.get();
        return store.list().stream().filter(i -> visible(caller, i)).filter(i -> !overdueOnly || i.overdue(now))
                .toList();
    }

    private boolean visible(Identity caller, QualityIssue issue) {
        return switch (caller.role()) {
            case DEVELOPER -> issue.filedBy().equals(caller.name());
            case PROVIDER -> tables.registeredBy(issue.table()).map(caller.name()::equals).orElse(false);
            case ADMIN, AUDITOR -> true;
            default -> false;
        };
    }

    private void store(QualityIssue issue) {
        try {
            store.put(issue);
        } catch (IOException e) {
            throw new SandboxException(ErrorCode.INTERNAL, "The data-quality issue could not be stored");
        }
    }

    private String sha(String text) {
        return HexFormat.of().formatHex(crypto.hash(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String safeId(String id) {
        return id != null && id.matches("dq-[0-9a-f]{1,32}") ? id : "?";
    }

}
