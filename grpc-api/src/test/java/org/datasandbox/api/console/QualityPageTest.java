package org.datasandbox.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.datasandbox.core.crypto.CryptoProfile;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.EvidenceLedger;
import org.datasandbox.core.quality.QualityDesk;
import org.datasandbox.core.quality.QualityStore;
import org.datasandbox.core.quality.WorkingCalendar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's data-quality page over a real desk (its own ledger and store, a hand-set clock; no server). */
class QualityPageTest {
    private static final Identity DEVELOPER = new Identity("Wang Fang", Role.DEVELOPER, "01");
    private static final Identity PROVIDER = new Identity("Zhang Wei", Role.PROVIDER, "02");
    private static final Identity AUDITOR = new Identity("Sun Li", Role.AUDITOR, "03");

    @TempDir
    Path temp;

    @Test
    void render_listsOpenIssuesOverdueFirst_escaped_withoutAnsweredOnes() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T02:00:00Z")); // Monday
        AtomicInteger ids = new AtomicInteger();
        QualityDesk desk = new QualityDesk(QualityStore.open(temp.resolve("quality")), WorkingCalendar.standard(),
                EvidenceLedger.open(temp.resolve("ledger"), CryptoProfile.of(CryptoProfile.Kind.SM)),
                CryptoProfile.of(CryptoProfile.Kind.SM), now::get, new QualityDesk.Tables() {
                    @Override
                    public boolean granted(Identity developer, String table) {
                        return true;
                    }

                    @Override
                    public Optional<String> registeredBy(String table) {
                        return Optional.of(PROVIDER.name());
                    }
                }, () -> String.format("%012x", ids.incrementAndGet()));
        var old = desk.file(DEVELOPER, "residents", "missing values", "Income is empty for <b>some</b> districts");
        now.set(now.get().plus(Duration.ofDays(4)));
        var recent = desk.file(DEVELOPER, "medical_visits", "duplicates", "Visits appear twice");
        var answered = desk.file(DEVELOPER, "patients", "outdated", "Ends a year ago");
        desk.answer(PROVIDER, answered.id(), "Loaded again");

        ConsoleRequest request = new ConsoleRequest(AUDITOR, List.of(), Map.of(), "token",
                List.of(new ConsoleRoutes.NavLink("/quality", "Data quality")));
        String html = new QualityPage(() -> desk).render(request).html();

        assertThat(html).contains("2 open, 1 overdue");
        assertThat(html.indexOf(old.id())).isPositive().isLessThan(html.indexOf(recent.id()));
        assertThat(html).contains("&lt;b&gt;some&lt;/b&gt;").doesNotContain("<b>some</b>");
        assertThat(html).doesNotContain(answered.id());
        assertThat(html).contains(">overdue<").contains(">open<");
    }
}
