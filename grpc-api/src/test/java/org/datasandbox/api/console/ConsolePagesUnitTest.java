package org.datasandbox.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.identity.Role;
import org.junit.jupiter.api.Test;

/** The console's pieces without a server: escaping, the route table, CSRF tokens and the chart. */
class ConsolePagesUnitTest {
    private static final Identity REVIEWER = new Identity("Liu Yang", Role.REVIEWER, "0a1b");

    @Test
    void text_markupQuotesAndAmpersands_areEscaped() {
        assertThat(Html.text("<script>alert('x')</script> & \"q\""))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    }

    /** Oracle: whatever text goes in, the escaped form holds no character that can open markup or leave a quote. */
    @Test
    void text_generatedStrings_neverCarryMarkupCharacters() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(40); j > 0; j--) {
                s.append((char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x3000)));
            }
            String escaped = Html.text(s);
            assertThat(escaped).doesNotContain("<", ">", "\"", "'");
            assertThat(escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace("&quot;", "")
                    .replace("&#39;", "")).doesNotContain("&");
        }
    }

    @Test
    void page_callerAndTitleWithMarkup_areEscaped() {
        Identity odd = new Identity("<b>Mallory</b>", Role.ADMIN, "01");
        String page = Html.page("<i>t</i>", odd, List.of(new ConsoleRoutes.NavLink("/jobs", "Jobs")), "<p>body</p>");
        assertThat(page).contains("&lt;b&gt;Mallory&lt;/b&gt;", "&lt;i&gt;t&lt;/i&gt;", "<p>body</p>")
                .doesNotContain("<b>Mallory", "<script");
    }

    /** The page table as the README states it: a change of who may open what must change this test too. */
    @Test
    void routes_rolesPerPage_areExactlyTheReadmeTable() {
        Map<String, String> table = ConsoleServer.routes(null).all().stream().collect(Collectors.toMap(
                r -> r.method() + " " + r.path().pattern(),
                r -> r.roles().stream().map(Role::label).sorted().collect(Collectors.joining(",")), (a, b) -> a,
                TreeMap::new));
        assertThat(table).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "GET /", "admin,auditor,reviewer",
                "GET /scenarios", "admin,auditor,reviewer",
                "GET /jobs", "admin,auditor,reviewer",
                "GET /jobs/(job-[0-9a-f]{12})", "admin,auditor,reviewer",
                "GET /ledger", "auditor",
                "POST /ledger/verify", "auditor",
                "GET /reviews", "admin,reviewer",
                "GET /reviews/(rr-[0-9a-f]{12})", "admin,reviewer",
                "POST /reviews/(rr-[0-9a-f]{12})/decide", "reviewer",
                "GET /quality", "admin,auditor")));
    }

    @Test
    void match_pathsOutsideTheTable_matchNothing() {
        ConsoleRoutes routes = ConsoleServer.routes(null);
        for (String path : List.of("/jobs/", "/jobs/job-ABCDEF123456", "/jobs/job-0123456789ab/", "/jobs/../ledger",
                "/jobs/job-0123456789ab%00", "//jobs", "/reviews/rr-0123456789ab/decide", "/ledger/verify", "")) {
            assertThat(routes.match("GET", path)).as(path).isEmpty();
        }
        assertThat(routes.match("DELETE", "/jobs")).isEmpty();
        assertThat(routes.match("POST", "/jobs")).isEmpty();
        assertThat(routes.match("GET", "/jobs/job-0123456789ab")).hasValueSatisfying(m ->
                assertThat(m.parameters()).containsExactly("job-0123456789ab"));
    }

    @Test
    void navigation_ofARoleWithoutPages_isEmpty() {
        ConsoleRoutes routes = ConsoleServer.routes(null);
        assertThat(routes.navigation(Role.DEVELOPER)).isEmpty();
        assertThat(routes.navigation(Role.PROVIDER)).isEmpty();
        assertThat(routes.navigation(Role.AUDITOR)).extracting(ConsoleRoutes.NavLink::href).contains("/ledger")
                .doesNotContain("/reviews");
    }

    @Test
    void csrfToken_ofAnotherCertificateRoleNameOrServer_isRefused() {
        CsrfTokens tokens = new CsrfTokens(new SecureRandom());
        String token = tokens.tokenFor(REVIEWER);
        assertThat(tokens.valid(REVIEWER, token)).isTrue();
        assertThat(tokens.valid(new Identity("Liu Yang", Role.REVIEWER, "0a1c"), token)).isFalse();
        assertThat(tokens.valid(new Identity("Liu Yang", Role.ADMIN, "0a1b"), token)).isFalse();
        assertThat(tokens.valid(new Identity("Liu Yan", Role.REVIEWER, "0a1b"), token)).isFalse();
        assertThat(new CsrfTokens(new SecureRandom()).valid(REVIEWER, token)).isFalse();
        assertThat(tokens.valid(REVIEWER, null)).isFalse();
        assertThat(tokens.valid(REVIEWER, "")).isFalse();
    }

    @Test
    void svg_barsWithMarkupInLabels_areEscapedAndFlagged() {
        String svg = BarChart.svg("n per <cell>", List.of(new BarChart.Bar("<script>", 12, false),
                new BarChart.Bar("B & C", 3, true)));
        assertThat(svg).startsWith("<svg class=\"chart\"").contains("&lt;script&gt;", "B &amp; C", "n per &lt;cell&gt;")
                .doesNotContain("<script>", "style=");
        assertThat(svg.split("<rect class=\"bar\"", -1)).hasSize(2);
        assertThat(svg.split("<rect class=\"bar flagged\"", -1)).hasSize(2);
    }

    @Test
    void response_redirectOutsideTheConsole_isRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsoleResponse.redirect("https://elsewhere.example/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ConsoleResponse.redirect("/ledger").status()).isEqualTo(303);
    }
}
