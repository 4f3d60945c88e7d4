package org.datasandbox.api.console;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review console's HTTPS listener, in the server process: the JDK's {@link HttpsServer} with the gRPC server's
 * key and certificate, TLS 1.2/1.3, a client certificate asked for on every connection and checked per request
 * against the sandbox CA and revocation list ({@link ConsoleHandler}), a bounded executor, and the page table of
 * {@link #routes}.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);

    private final HttpsServer server;
    private final ThreadPoolExecutor executor;

    private ConsoleServer(HttpsServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the console on an address and port (0 picks a free one). */
    public static ConsoleServer start(Sandbox sandbox, String bindAddress, int port) throws IOException {
        SSLContext tls = ConsoleTls.context(sandbox.serverCredentials(), sandbox.authority().caCertificate());
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                // "want", not "need": a browser without a certificate then gets a page saying what is required
                // (and nothing else) instead of a bare handshake failure. A certificate of another CA still fails.
                ssl.setWantClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                r -> {
                    Thread thread = new Thread(r, "sandbox-console");
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler(org.datasandbox.core.job.QuietFailures.HANDLER);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", new ConsoleHandler(sandbox, routes(sandbox)));
        server.start();
        LOG.info("review console listening on {} port {}", bindAddress, server.getAddress().getPort());
        return new ConsoleServer(server, executor);
    }

    /** The pages and actions, with the roles allowed each; nothing else is served. */
    static ConsoleRoutes routes(Sandbox sandbox) {
        ScenariosPage scenarios = new ScenariosPage(sandbox);
        JobsPage jobs = new JobsPage(sandbox);
        LedgerPage ledger = new LedgerPage(sandbox);
        HomePage home = new HomePage();
        ReviewsPage reviews = new ReviewsPage(sandbox);
        var staff = ConsoleRoutes.roles(Role.ADMIN, Role.REVIEWER, Role.AUDITOR);
        return new ConsoleRoutes()
                .add("GET", "/", staff, "home", "Home", home::render)
                .add("GET", "/scenarios", staff, "scenarios", "Scenarios", scenarios::render)
                .add("GET", "/jobs", staff, "jobs", "Jobs", jobs::list)
                .add("GET", "/jobs/" + ConsoleRoutes.JOB_ID, staff, "job", null, jobs::one)
                .add("GET", "/ledger", ConsoleRoutes.roles(Role.AUDITOR), "ledger", "Ledger", ledger::render)
                .add("POST", "/ledger/verify", ConsoleRoutes.roles(Role.AUDITOR), "ledger.verify", null, ledger::verify)
                .add("GET", "/reviews", ConsoleRoutes.roles(Role.REVIEWER, Role.ADMIN), "reviews", "Release reviews",
                        reviews::queue)
                .add("GET", "/reviews/" + ConsoleRoutes.REQUEST_ID, ConsoleRoutes.roles(Role.REVIEWER, Role.ADMIN),
                        "review", null, reviews::one)
                .add("POST", "/reviews/" + ConsoleRoutes.REQUEST_ID + "/decide", ConsoleRoutes.roles(Role.REVIEWER),
                        "review.decide", null, reviews::decide)
                .add("GET", "/quality", ConsoleRoutes.roles(Role.ADMIN, Role.AUDITOR), "quality", "Data quality",
                        new QualityPage(() -> sandbox.quality())::render);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address to open in a browser. */
    public String url() {
        return "https://localhost:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(2);
        executor.shutdownNow();
    }
}
