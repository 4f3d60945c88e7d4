package org.datasandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.datasandbox.api.client.SandboxClient;
import org.datasandbox.api.console.ConsoleServer;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.core.crypto.Pem;
import org.datasandbox.core.identity.CertificateAuthority;
import org.datasandbox.core.identity.CertificateSerial;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The review console end to end: a real sandbox with the console, Debian's headless Chromium holding the auditor's
 * client certificate in its NSS database, pages and one action driven over the DevTools protocol, screenshots kept
 * under {@code target/console-screenshots/}. Certificates the browser cannot show (none, another CA's, revoked) and
 * roles the console refuses are checked with the JDK's HTTP client. Fails instead of skipping in CI when Chromium
 * is missing.
 */
class ReviewConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static GrpcFixture fixture;
    private static ConsoleServer console;
    private static HeadlessChromium browser;
    private static String origin;
    private static String jobId;
    private static String heldJobId;
    private static String requestId;
    private static final String REVIEW_SCENARIO = "district-review";
    private static final org.datasandbox.core.identity.Identity REVIEW_DEVELOPER =
            new org.datasandbox.core.identity.Identity("Zhao Lei", Role.DEVELOPER, "console-test-zhao-lei");
    private static final String REVIEW_SQL =
            "SELECT district, COUNT(*) AS n, SUM(income) AS income FROM residents GROUP BY district";
    private static final String REVIEW_SCENARIO_YAML = """
            kind: scenario
            id: district-review
            purpose: District income statistics, every output reviewed before release
            developers: ["Zhao Lei"]
            output:
              mode: review
              k: 10
            grants:
              residents: ["*"]
            """;
    /** Every page the browser showed, as text, for the no-data-value oracle. */
    private static final List<String> shown = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path chromium = HeadlessChromium.binary();
        if (chromium == null || !HeadlessChromium.nssToolsInstalled()) {
            String why = "chromium or NSS's certutil/pk12util is not installed (Debian packages chromium and "
                    + "libnss3-tools; .ci/run installs them)";
            if (System.getenv("CI") != null) {
                fail("CI must run the console's browser test: " + why);
            }
            Assumptions.abort("console browser test skipped: " + why);
        }
        fixture = GrpcFixture.get();
        console = ConsoleServer.start(fixture.sandbox, "127.0.0.1", 0);
        origin = "https://localhost:" + console.port();
        SandboxClient developer = fixture.client(Role.DEVELOPER);
        jobId = developer.submitJob(GrpcFixture.SCENARIO,
                "SELECT district, COUNT(*) AS n FROM residents GROUP BY district").getJobId();
        assertThat(developer.watchJob(jobId, e -> { }).getState()).isEqualTo(JobState.RELEASED);
        // a review-mode scenario of its own developer, so the shared fixture's scenarios stay as other tests expect
        fixture.client(Role.ADMIN).applyPolicy(REVIEW_SCENARIO_YAML);
        heldJobId = fixture.sandbox.submitJob(REVIEW_DEVELOPER, REVIEW_SCENARIO, REVIEW_SQL).jobId();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (fixture.sandbox.reviewDesk().forJob(heldJobId).isEmpty()) {
            assertThat(System.nanoTime()).as("the held job's release request").isLessThan(deadline);
            Thread.sleep(100);
        }
        requestId = fixture.sandbox.reviewDesk().forJob(heldJobId).orElseThrow().id();
        PkiLayout pki = fixture.sandbox.authority().layout();
        Path work = Files.createTempDirectory("console-browser");
        Path p12 = pkcs12(pki.clientCertificate(Role.REVIEWER), pki.clientKey(Role.REVIEWER), pki.caCertificate(),
                work.resolve("reviewer.p12"));
        browser = HeadlessChromium.start(chromium, work, p12, "test", pki.caCertificate(), origin,
                commonName(fixture.sandbox.authority().caCertificate()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void pages_reviewerInChromium_showScenariosJobsAndOneJobWithItsLedgerEntries() throws Exception {
        String home = show("/", "home");
        assertThat(home).contains(reviewerName(), "role <b>reviewer</b>", "/scenarios", "/jobs", "/reviews")
                .doesNotContain("href=\"/ledger\"");

        String scenarios = show("/scenarios", "scenarios");
        assertThat(scenarios).contains("public-health", "threshold", "k = 10", "Wang Fang", "residents")
                .contains(REVIEW_SCENARIO, ">review<", "Zhao Lei");

        String jobs = show("/jobs", "jobs");
        assertThat(jobs).contains(jobId, "Wang Fang", "RELEASED", GrpcFixture.SCENARIO);

        String job = show("/jobs/" + jobId, "job");
        assertThat(job).contains("Job " + jobId, "RELEASED", "ALLOW", "residents")
                .contains("job.submitted", "guard.decision", "job.released")
                .contains("district"); // the SQL as rewritten: names columns, never values
        // every view is recorded under the certificate the browser presented
        assertThat(fixture.sandbox.ledger().entries())
                .filteredOn(e -> e.action().equals("console.view") && e.actor().equals(reviewerName()))
                .extracting(LedgerEntry::subject).contains("/", "/scenarios", "/jobs", "/jobs/" + jobId);
    }

    @Test
    void releaseRequest_approvedInChromium_releasesTheOutputAndRecordsTheVote() throws Exception {
        String queue = show("/reviews", "reviews");
        assertThat(queue).contains(requestId, heldJobId, REVIEW_SCENARIO, "Zhao Lei", "REVIEW_MODE", "PENDING");

        String request = show("/reviews/" + requestId, "review");
        var held = fixture.sandbox.reviewDesk().forJob(heldJobId).orElseThrow();
        assertThat(request).contains("Release request " + requestId, "Disclosure report", REVIEW_SQL)
                .contains("<svg class=\"chart\"", "<rect class=\"bar")
                .contains(held.report().cells().size() + " released, " + held.report().suppressedCells() + " suppressed");
        assertThat(count(request, "<rect class=\"bar")).isEqualTo(held.report().cells().size());
        assertThat(count(request, "class=\"below-k\"")).isEqualTo(
                held.report().cells().stream().filter(c -> c.belowK()).count());

        browser.fill("#reason", "District totals only; every cell has at least k residents.");
        browser.clickAndWait("button.approve");
        assertThat(browser.url()).isEqualTo(origin + "/reviews/" + requestId);
        String decided = browser.html();
        browser.screenshot(SCREENSHOTS.resolve("review-approved.png"));
        shown.add(decided);
        assertThat(decided).contains("APPROVED", "District totals only").doesNotContain("button class=\"approve\"");

        var approved = fixture.sandbox.reviewDesk().forJob(heldJobId).orElseThrow();
        assertThat(approved.status()).isEqualTo(org.datasandbox.core.review.ReleaseStatus.APPROVED);
        assertThat(approved.votes()).singleElement().satisfies(v -> assertThat(v.reviewer()).isEqualTo(reviewerName()));
        assertThat(fixture.sandbox.fetchResult(REVIEW_DEVELOPER, heldJobId).rows()).isEqualTo(approved.rows());
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("console.action"))
                .extracting(LedgerEntry::subject).contains("/reviews/" + requestId + "/decide");
        assertThat(fixture.sandbox.ledger().entries()).filteredOn(e -> e.action().equals("release.vote"))
                .anySatisfy(e -> assertThat(e.actor()).isEqualTo(reviewerName()));
    }

    /** Oracle: no identifying value of the residents table (names, ID cards, phones, addresses) on any page shown. */
    @Test
    void pages_shownInChromium_holdNoDataValue() throws Exception {
        for (String path : List.of("/", "/scenarios", "/jobs", "/jobs/" + jobId, "/jobs/" + heldJobId, "/reviews",
                "/reviews/" + requestId)) {
            browser.open(origin + path);
            shown.add(browser.html());
        }
        Set<String> people = Set.copyOf(CertificateAuthority.DEMO_HOLDERS.values());
        List<String> values = new ArrayList<>();
        for (String[] row : fixture.hubei.residents()) {
            for (int column : new int[] {1, 2, 3, 7}) { // id_card, name, phone, address
                if (!people.contains(row[column])) {
                    values.add(row[column]);
                }
            }
        }
        assertThat(values).hasSizeGreaterThan(1000);
        for (String page : shown) {
            for (String value : values) {
                assertThat(page).as("a page of the console").doesNotContain(value);
            }
        }
    }

    @Test
    void console_withoutCertificate_getsOnlyTheRefusal() throws Exception {
        HttpResponse<String> response = get(client(null, null), "/jobs");
        assertThat(response.statusCode()).isEqualTo(401);
        assertNothingShown(response.body());
    }

    @Test
    void console_withCertificateOfAnotherCa_getsNothing() throws Exception {
        Path foreign = Files.createTempDirectory("console-foreign-ca");
        PkiLayout other = CertificateAuthority.openOrCreate(PkiLayout.under(foreign)).layout();
        HttpClient impostor = client(other.clientCertificate(Role.AUDITOR), other.clientKey(Role.AUDITOR));
        try {
            HttpResponse<String> response = get(impostor, "/jobs");
            assertThat(response.statusCode()).isEqualTo(401); // if the handshake did not already fail
            assertNothingShown(response.body());
        } catch (IOException handshakeRefused) {
            assertThat(handshakeRefused).isInstanceOf(IOException.class);
        }
    }

    @Test
    void console_withRevokedCertificate_getsNothingFromTheNextRequestOn() throws Exception {
        Path dir = Files.createTempDirectory("console-revoked");
        CertificateAuthority ca = fixture.caTool();
        ca.issueClient("Sun Li", Role.AUDITOR, dir.resolve("c.crt"), dir.resolve("c.key"));
        HttpClient holder = client(dir.resolve("c.crt"), dir.resolve("c.key"));
        HttpResponse<String> control = get(holder, "/jobs");
        assertThat(control.statusCode()).isEqualTo(200);
        assertThat(control.body()).contains(jobId);

        ca.revoke(new CertificateSerial(Pem.readCertificate(dir.resolve("c.crt")).getSerialNumber()));
        HttpResponse<String> revoked = get(holder, "/jobs");
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertNothingShown(revoked.body());
    }

    @Test
    void console_rolesWithoutAPage_areRefusedEveryPageAndAction() throws Exception {
        PkiLayout pki = fixture.sandbox.authority().layout();
        for (Role role : List.of(Role.DEVELOPER, Role.PROVIDER)) {
            HttpClient caller = client(pki.clientCertificate(role), pki.clientKey(role));
            for (String path : List.of("/", "/scenarios", "/jobs", "/jobs/" + jobId, "/ledger", "/reviews",
                    "/reviews/" + requestId)) {
                HttpResponse<String> response = get(caller, path);
                assertThat(response.statusCode()).as(role + " " + path).isEqualTo(403);
                assertNothingShown(response.body());
            }
            assertThat(post(caller, "/ledger/verify", "csrf=x", null).statusCode()).isEqualTo(403);
        }
        HttpClient reviewer = client(pki.clientCertificate(Role.REVIEWER), pki.clientKey(Role.REVIEWER));
        assertThat(get(reviewer, "/jobs").statusCode()).isEqualTo(200); // the control: a role the page lists
        assertThat(get(reviewer, "/ledger").statusCode()).isEqualTo(403);
        assertThat(post(reviewer, "/ledger/verify", "csrf=x", null).statusCode()).isEqualTo(403);
        HttpClient auditor = client(pki.clientCertificate(Role.AUDITOR), pki.clientKey(Role.AUDITOR));
        assertThat(get(auditor, "/reviews").statusCode()).isEqualTo(403);
        assertThat(post(auditor, "/reviews/rr-000000000000/decide", "csrf=x&verdict=APPROVE&reason=r", null).statusCode())
                .isEqualTo(403);
        assertThat(get(reviewer, "/jobs/job-000000000000").statusCode()).isEqualTo(404);
        assertThat(get(reviewer, "/jobs/../ledger").statusCode()).isIn(403, 404);
        assertThat(get(reviewer, "/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void action_withoutTheCallersCsrfToken_isRefusedAndDoesNothing() throws Exception {
        PkiLayout pki = fixture.sandbox.authority().layout();
        HttpClient auditor = client(pki.clientCertificate(Role.AUDITOR), pki.clientKey(Role.AUDITOR));
        HttpResponse<String> page = get(auditor, "/ledger");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").doesNotContain("script-src"));
        Matcher token = CSRF_FIELD.matcher(page.body());
        assertThat(token.find()).isTrue();
        long before = count("ledger.verified");
        assertThat(post(auditor, "/ledger/verify", "", null).statusCode()).isEqualTo(403);
        assertThat(post(auditor, "/ledger/verify", "csrf=forged", null).statusCode()).isEqualTo(403);
        assertThat(post(auditor, "/ledger/verify", "csrf=" + token.group(1), "cross-site").statusCode()).isEqualTo(403);
        assertThat(count("ledger.verified")).isEqualTo(before);
        HttpResponse<String> accepted = post(auditor, "/ledger/verify", "csrf=" + token.group(1), "same-origin");
        assertThat(accepted.statusCode()).isEqualTo(303); // the control: the same form with the caller's token
        assertThat(accepted.headers().firstValue("Location")).hasValue("/ledger");
        assertThat(count("ledger.verified")).isEqualTo(before + 1);
    }

    private static String show(String path, String screenshot) throws Exception {
        browser.open(origin + path);
        browser.screenshot(SCREENSHOTS.resolve(screenshot + ".png"));
        String html = browser.html();
        shown.add(html);
        return html;
    }

    private static void assertNothingShown(String body) {
        assertThat(body).doesNotContain(jobId, heldJobId, "public-health", "Wang Fang", "Zhao Lei", "<nav");
    }

    private static long count(String action) throws IOException {
        return fixture.sandbox.ledger().entries().stream().filter(e -> e.action().equals(action)).count();
    }

    private static String reviewerName() {
        return CertificateAuthority.DEMO_HOLDERS.get(Role.REVIEWER);
    }

    private static long count(String text, String part) {
        return (text.length() - text.replace(part, "").length()) / part.length();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(origin + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String path, String form, String fetchSite)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTPS client trusting the sandbox CA, presenting a certificate when one is given. */
    private static HttpClient client(Path certificate, Path key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", jdk(Pem.readCertificate(fixture.sandbox.authority().layout().caCertificate())));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (certificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("me", jdk(Pem.readPrivateKey(key)), new char[0],
                    new Certificate[] {jdk(Pem.readCertificate(certificate))});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(java.time.Duration.ofSeconds(10)).build();
    }

    private static Path pkcs12(Path certificate, Path key, Path ca, Path out) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("sandbox-client", jdk(Pem.readPrivateKey(key)), "test".toCharArray(),
                new Certificate[] {jdk(Pem.readCertificate(certificate)), jdk(Pem.readCertificate(ca))});
        try (var stream = Files.newOutputStream(out)) {
            store.store(stream, "test".toCharArray());
        }
        return out;
    }

    private static String commonName(X509Certificate certificate) throws Exception {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
            if (rdn.getType().equalsIgnoreCase("CN")) {
                return rdn.getValue().toString();
            }
        }
        throw new IllegalStateException("the CA certificate has no common name");
    }

    private static X509Certificate jdk(X509Certificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }

    private static PrivateKey jdk(PrivateKey key) throws Exception {
        return KeyFactory.getInstance(key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }
}
