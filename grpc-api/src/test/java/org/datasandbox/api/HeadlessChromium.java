package org.datasandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's WebSocket and Jackson. The
 * browser gets its own HOME, whose NSS database ({@code ~/.pki/nssdb}, written with {@code certutil} and
 * {@code pk12util}) holds one client certificate and trusts the sandbox CA, and its own profile, whose preferences
 * select that certificate for one origin without a dialog (the content setting the AutoSelectCertificateForUrls
 * policy sets).
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The browser binary: {@code $CHROMIUM}, else {@code chromium} on the PATH; null when there is none. */
    static Path binary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Whether {@code certutil} and {@code pk12util} (Debian's libnss3-tools) are on the PATH. */
    static boolean nssToolsInstalled() {
        for (String tool : List.of("certutil", "pk12util")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts a browser that presents the certificate in {@code p12} to {@code origin} (issued by the CA whose
     * common name is {@code issuerCommonName}) and trusts {@code caCertificate} for servers.
     */
    static HeadlessChromium start(Path binary, Path work, Path p12, String p12Password, Path caCertificate,
                                  String origin, String issuerCommonName) throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
        run(List.of("certutil", "-N", "-d", "sql:" + nss, "--empty-password"));
        run(List.of("pk12util", "-i", p12.toString(), "-d", "sql:" + nss, "-W", p12Password));
        run(List.of("certutil", "-A", "-d", "sql:" + nss, "-n", "sandbox-ca", "-t", "C,,", "-i", caCertificate.toString()));
        Path profile = Files.createDirectories(work.resolve("profile"));
        ObjectNode prefs = JSON.createObjectNode();
        ObjectNode filter = JSON.createObjectNode();
        filter.putObject("ISSUER").put("CN", issuerCommonName);
        ObjectNode exception = prefs.putObject("profile").putObject("content_settings").putObject("exceptions")
                .putObject("auto_select_certificate").putObject(origin + ",*");
        exception.put("last_modified", "13300000000000000");
        exception.putObject("setting").putArray("filters").add(filter);
        Files.createDirectories(profile.resolve("Default"));
        JSON.writeValue(profile.resolve("Default/Preferences").toFile(), prefs);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("chromium.log").toFile());
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(Files.exists(active) && Files.readAllLines(active).size() >= 2)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not open its DevTools port; see " + work.resolve("chromium.log"));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode target : targets) {
                if (target.path("type").asText().equals("page")) {
                    page = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                throw new IllegalStateException("chromium shows no page target");
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            Listener listener = new Listener(message -> self[0].dispatch(message));
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), listener).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, socket);
            self[0].call("Page.enable", JSON.createObjectNode());
            return self[0];
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Opens a URL and waits until it has loaded. */
    void open(String url) throws Exception {
        events.clear();
        ObjectNode params = JSON.createObjectNode().put("url", url);
        JsonNode reply = call("Page.navigate", params);
        if (reply.has("errorText")) {
            throw new IOException("navigation failed: " + reply.get("errorText").asText());
        }
        awaitLoad();
    }

    /** Clicks the first element matching a CSS selector and waits for the page that follows to load. */
    void clickAndWait(String selector) throws Exception {
        events.clear();
        evaluate("document.querySelector(" + JSON.writeValueAsString(selector) + ").click()");
        awaitLoad();
    }

    /** Sets the value of the first form field matching a CSS selector, as typing would. */
    void fill(String selector, String text) throws Exception {
        evaluate("document.querySelector(" + JSON.writeValueAsString(selector) + ").value = "
                + JSON.writeValueAsString(text));
    }

    /** The current document's HTML, as the browser parsed it. */
    String html() throws Exception {
        return evaluate("document.documentElement.outerHTML").asText();
    }

    String url() throws Exception {
        return evaluate("location.href").asText();
    }

    void screenshot(Path file) throws Exception {
        // the whole page, not only the window
        double height = Math.min(8000, evaluate("document.documentElement.scrollHeight").asDouble());
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.putObject("clip").put("x", 0).put("y", 0).put("width", 1200).put("height", height).put("scale", 1);
        JsonNode shot = call("Page.captureScreenshot", params);
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private JsonNode evaluate(String expression) throws Exception {
        JsonNode reply = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (reply.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + reply.get("exceptionDetails"));
        }
        return reply.path("result").path("value");
    }

    private void awaitLoad() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null && event.path("method").asText().equals("Page.loadEventFired")) {
                return;
            }
        }
        throw new IllegalStateException("page did not load within " + WAIT);
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    private void dispatch(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
            } else {
                events.add(message);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Joins the fragments of DevTools messages and hands each whole message on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> messages;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                messages.accept(message);
            }
            webSocket.request(1);
            return null;
        }
    }
}
