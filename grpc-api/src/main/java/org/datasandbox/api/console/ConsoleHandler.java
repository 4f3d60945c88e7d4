package org.datasandbox.api.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.crypto.SecureRandoms;
import org.datasandbox.core.identity.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request: identify the caller by their client certificate (CA, validity, revocation, role: the same
 * check as gRPC's), match a route (deny by default), check the role, for an action the CSRF token, then render and
 * record. A caller without a valid certificate gets a fixed 401 page and nothing else; a refused role a fixed 403.
 * Every page view, action and refusal of an identified caller is a ledger entry naming the route and status, never
 * a value from the request.
 */
final class ConsoleHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    /** Forms carry a token and a few short fields. */
    static final int MAX_FORM_BYTES = 16 * 1024;
    /** No script, no frames, no plugins; styles and images only from the console itself; forms only to it. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Sandbox sandbox;
    private final ConsoleRoutes routes;
    private final CsrfTokens csrf = new CsrfTokens(SecureRandoms.shared());
    private final byte[] css;

    ConsoleHandler(Sandbox sandbox, ConsoleRoutes routes) throws IOException {
        this.sandbox = sandbox;
        this.routes = routes;
        try (InputStream in = ConsoleHandler.class.getResourceAsStream("console.css")) {
            if (in == null) {
                throw new IOException("console.css missing from the class path");
            }
            this.css = in.readAllBytes();
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("console request failed: {}", e.getClass().getSimpleName());
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Optional<Identity> identity = identify(((HttpsExchange) exchange).getSSLSession());
        if (identity.isEmpty()) {
            sandbox.recordUnauthenticatedCall("console");
            send(exchange, ConsoleResponse.html(401, Html.refusal(401,
                    "A client certificate issued by this sandbox, naming a person and a role, is required.")));
            return;
        }
        Identity caller = identity.get();
        if (method.equals("GET") && path.equals("/console.css")) {
            sendCss(exchange);
            return;
        }
        Optional<ConsoleRoutes.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            record(caller, "console.refused", "unknown page", "none", 404);
            send(exchange, ConsoleResponse.html(404, Html.refusal(404, "Not found.")));
            return;
        }
        ConsoleRoutes.Route route = match.get().route();
        if (!route.roles().contains(caller.role())) {
            record(caller, "console.refused", path, route.name(), 403);
            send(exchange, ConsoleResponse.html(403, Html.refusal(403,
                    "Access denied: the role " + caller.role().label() + " may not open this page.")));
            return;
        }
        Map<String, String> form = Map.of();
        if (route.isAction()) {
            Optional<Map<String, String>> parsed = form(exchange);
            if (parsed.isEmpty() || !csrf.valid(caller, parsed.get().get("csrf")) || crossSite(exchange)) {
                record(caller, "console.refused", path, route.name(), 403);
                send(exchange, ConsoleResponse.html(403, Html.refusal(403,
                        "Access denied: the form did not come from this console (CSRF check). Reload the page and try again.")));
                return;
            }
            form = parsed.get();
        }
        ConsoleRequest request = new ConsoleRequest(caller, match.get().parameters(), form, csrf.tokenFor(caller),
                routes.navigation(caller.role()));
        ConsoleResponse response = render(route, request);
        record(caller, route.isAction() ? "console.action" : "console.view", path, route.name(), response.status());
        send(exchange, response);
    }

    private ConsoleResponse render(ConsoleRoutes.Route route, ConsoleRequest request) {
        try {
            return route.handler().handle(request);
        } catch (SandboxException e) {
            int status = switch (e.code().category()) {
                case NOT_FOUND -> 404;
                case PERMISSION_DENIED, POLICY_DENIED, UNAUTHENTICATED -> 403;
                case USER_ERROR -> 400;
                case FAILED_PRECONDITION -> 409;
                case RESOURCE_EXHAUSTED -> 429;
                case UNAVAILABLE -> 503;
                case INTERNAL -> 500;
            };
            // sandbox messages name ids, tables, rules and positions, never data values; internal ones are fixed
            String message = status == 500 ? "Internal error." : e.getMessage();
            return ConsoleResponse.html(status, Html.refusal(status, message));
        } catch (Exception e) {
            String reference = SecureRandoms.hex(6);
            LOG.warn("console page {} failed: {} (reference {})", route.name(), e.getClass().getSimpleName(), reference);
            return ConsoleResponse.html(500, Html.refusal(500, "Internal error; reference " + reference + "."));
        }
    }

    private void record(Identity caller, String action, String path, String page, int status) {
        // the path is recorded only when a route matched it: routes capture ids only, so it holds no free text
        sandbox.ledger().append(caller, action, path, Map.of("page", page, "status", Integer.toString(status)));
    }

    private Optional<Identity> identify(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return sandbox.authority().identityOf(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** Browsers say where a request came from; one from another site is refused even with a token. */
    private static boolean crossSite(HttpExchange exchange) {
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin");
    }

    /** The fields of a url-encoded form of at most {@link #MAX_FORM_BYTES}; empty when it is not one. */
    private static Optional<Map<String, String>> form(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Optional.empty();
        }
        byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
        if (body.length > MAX_FORM_BYTES) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        try {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (fields.putIfAbsent(name, value) != null) {
                    return Optional.empty(); // a repeated field is ambiguous: refuse rather than pick one
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(fields);
    }

    private void sendCss(HttpExchange exchange) throws IOException {
        headers(exchange, "text/css; charset=utf-8");
        exchange.sendResponseHeaders(200, css.length);
        exchange.getResponseBody().write(css);
    }

    private static void send(HttpExchange exchange, ConsoleResponse response) throws IOException {
        headers(exchange, "text/html; charset=utf-8");
        if (response.location() != null) {
            exchange.getResponseHeaders().set("Location", response.location());
        }
        byte[] body = response.html().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void headers(HttpExchange exchange, String contentType) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("Strict-Transport-Security", "max-age=31536000");
    }

    static List<String> securityHeaders() {
        return List.of("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                "Cache-Control");
    }
}
