package echolab.bench.course;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import echolab.bench.harness.ChildProcess;

/**
 * Headless Chromium, driven over the DevTools protocol (a WebSocket, JSON messages): the machine's own
 * Debian {@code chromium}, never a browser downloaded for the purpose, started with a fresh profile and
 * without its background networking. Used to take the course's screenshots and, in the tests, to check
 * the pages the way a reader sees them. Every call has a timeout; closing kills the browser and its
 * children and removes the profile.
 */
public final class Browser implements AutoCloseable {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = Collections.synchronizedList(new ArrayList<>());

    private Browser(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The Chromium binary: $ECHOLAB_CHROMIUM, or chromium / chromium-browser / google-chrome on the usual paths. */
    public static Optional<Path> find() {
        String configured = System.getenv("ECHOLAB_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                "/usr/bin/google-chrome-stable")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /** Starts it headless; IOException naming the binary when it does not come up within {@code timeout}. */
    public static Browser launch(Path binary, Duration timeout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("echolab-chromium-");
        Process process = ChildProcess.started(new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        try {
            Path active = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!(Files.isRegularFile(active) && Files.readAllLines(active).size() >= 2)) {
                if (!process.isAlive()) {
                    throw new IOException(binary + " exited (status " + process.exitValue() + ") before it was ready");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(binary + " was not ready within " + timeout.toSeconds() + " s: killed");
                }
                Thread.sleep(50);
            }
            List<String> port = Files.readAllLines(active);
            URI uri = URI.create("ws://127.0.0.1:" + port.get(0).strip() + port.get(1).strip());
            Browser[] self = new Browser[1];
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, new WebSocket.Listener() {
                        private final StringBuilder message = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            message.append(data);
                            if (last) {
                                String text = message.toString();
                                message.setLength(0);
                                self[0].receive(text);
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Browser browser = new Browser(process, profile, socket);
            self[0] = browser;
            return browser;
        } catch (IOException | InterruptedException | RuntimeException e) {
            ChildProcess.kill(process);
            deleteQuietly(profile);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            ChildProcess.kill(process);
            deleteQuietly(profile);
            throw new IOException("could not connect to " + binary + "'s DevTools: " + e.getMessage(), e);
        }
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
                if (f != null) {
                    if (message.has("error")) {
                        f.completeExceptionally(new IOException(message.get("error").path("message").asText()));
                    } else {
                        f.complete(message.path("result"));
                    }
                }
            } else {
                List<Consumer<JsonNode>> copy;
                synchronized (listeners) {
                    copy = List.copyOf(listeners);
                }
                copy.forEach(l -> l.accept(message));
            }
        } catch (IOException e) {
            // not JSON: the protocol never sends that; ignore the frame
        }
    }

    /** Sends one command (to a page's session when {@code session} is not null) and waits for its result. */
    JsonNode call(String session, String method, Map<String, ?> params) throws IOException, InterruptedException {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        socket.sendText(message.toString(), true);
        try {
            return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new IOException(method + ": no answer from the browser within " + CALL_TIMEOUT.toSeconds() + " s");
        }
    }

    /** A new tab of the given size, with its network requests recorded. */
    public Page newPage(int width, int height) throws IOException, InterruptedException {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        Page page = new Page(session);
        listeners.add(page::event);
        call(session, "Page.enable", Map.of());
        call(session, "Network.enable", Map.of());
        call(session, "Runtime.enable", Map.of());
        page.resize(width, height);
        return page;
    }

    /** One tab. */
    public final class Page {
        private final String session;
        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        private final List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
        private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

        private Page(String session) {
            this.session = session;
        }

        private void event(JsonNode message) {
            if (!session.equals(message.path("sessionId").asText())) {
                return;
            }
            switch (message.path("method").asText()) {
                case "Page.loadEventFired" -> loaded.complete(null);
                case "Network.requestWillBeSent" -> requests.add(message.path("params").path("request").path("url").asText());
                case "Runtime.exceptionThrown" -> consoleErrors.add(message.path("params").path("exceptionDetails").toString());
                case "Runtime.consoleAPICalled" -> {
                    if ("error".equals(message.path("params").path("type").asText())) {
                        consoleErrors.add(message.path("params").path("args").toString());
                    }
                }
                default -> { }
            }
        }

        public void resize(int width, int height) throws IOException, InterruptedException {
            call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                    "mobile", false));
        }

        /** Opens {@code uri} and waits for its load event. */
        public void open(URI uri) throws IOException, InterruptedException {
            loaded = new CompletableFuture<>();
            call(session, "Page.navigate", Map.of("url", uri.toString()));
            try {
                loaded.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(uri + " did not finish loading within " + CALL_TIMEOUT.toSeconds() + " s");
            }
        }

        /** The value of a JavaScript expression (awaited if it is a promise), as JSON. */
        public JsonNode eval(String expression) throws IOException, InterruptedException {
            JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IOException("script failed: " + r.path("exceptionDetails").path("exception").path("description").asText(
                        r.path("exceptionDetails").toString()));
            }
            return r.path("result").path("value");
        }

        /** Emulates print media (or screen again), for checking the print stylesheet. */
        public void media(String media) throws IOException, InterruptedException {
            call(session, "Emulation.setEmulatedMedia", Map.of("media", media));
        }

        /** A PNG of the whole page (or of its top {@code maxHeight} pixels) into {@code file}. */
        public void screenshot(Path file, int maxHeight) throws IOException, InterruptedException {
            screenshot(file, 0, maxHeight);
        }

        /** A PNG of the page from {@code top} down, at most {@code maxHeight} pixels, into {@code file}. */
        public void screenshot(Path file, double top, int maxHeight) throws IOException, InterruptedException {
            JsonNode metrics = call(session, "Page.getLayoutMetrics", Map.of()).path("cssContentSize");
            double width = metrics.path("width").asDouble();
            double height = Math.min(maxHeight, metrics.path("height").asDouble() - top);
            JsonNode shot = call(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", top, "width", width, "height", height, "scale", 1)));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        }

        /** The page printed to PDF with its own @page size, as bytes. */
        public byte[] pdf() throws IOException, InterruptedException {
            JsonNode r = call(session, "Page.printToPDF", Map.of("preferCSSPageSize", true, "printBackground", true));
            return Base64.getDecoder().decode(r.path("data").asText());
        }

        /** Every URL the page asked for since it was opened. */
        public List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        public List<String> consoleErrors() {
            synchronized (consoleErrors) {
                return List.copyOf(consoleErrors);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call(null, "Browser.close", Map.of());
        } catch (IOException e) {
            // it is killed below either way
        }
        socket.abort();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            ChildProcess.kill(process);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(profile);
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
