package echolab.bench.course;

import java.io.File;
import java.io.IOException;
import java.net.URI;
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

import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.bidi.log.LogLevel;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.fasterxml.jackson.databind.JsonNode;
import echolab.bench.base.Json;

/**
 * Headless Chromium, driven by Selenium WebDriver through chromedriver: the machine's own Debian
 * {@code chromium} and {@code chromium-driver}, both given by path so that nothing downloads a browser or a
 * driver, with a fresh profile and without background networking. WebDriver BiDi reports every request a
 * page makes and every console error; what only Chromium can do (device metrics, print media, a clipped
 * screenshot, a PDF at the page's own size, evaluating an expression) goes through chromedriver's DevTools
 * passthrough. Used for the course's screenshots and, in the tests, to check the pages as a reader sees
 * them. Closing quits the browser and its driver and removes the profile.
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
    private final Network network;
    private final LogInspector logs;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.network = new Network(driver);
        this.logs = new LogInspector(driver);
        network.onBeforeRequestSent(e -> requests.add(e.getRequest().getUrl()));
        logs.onJavaScriptException(e -> consoleErrors.add(e.getText()));
        logs.onConsoleEntry(e -> {
            if (e.getLevel() == LogLevel.ERROR) {
                consoleErrors.add(e.getText());
            }
        });
    }

    /** The Chromium binary: $ECHOLAB_CHROMIUM, or chromium / chromium-browser / google-chrome on the usual paths. */
    public static Optional<Path> find() {
        return executable("ECHOLAB_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                "/usr/bin/google-chrome-stable");
    }

    /** Its driver: $ECHOLAB_CHROMEDRIVER, or Debian's chromedriver (package chromium-driver). */
    public static Optional<Path> findDriver() {
        return executable("ECHOLAB_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    }

    private static Optional<Path> executable(String variable, String... candidates) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return List.of(candidates).stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** What is missing for a browser, in one line, or empty when both the browser and its driver are here. */
    public static Optional<String> missing() {
        if (find().isEmpty()) {
            return Optional.of("no Chromium: install Debian's 'chromium' (apt-get install chromium), or set ECHOLAB_CHROMIUM");
        }
        if (findDriver().isEmpty()) {
            return Optional.of("no chromedriver: install Debian's 'chromium-driver' (apt-get install chromium-driver), "
                    + "or set ECHOLAB_CHROMEDRIVER");
        }
        return Optional.empty();
    }

    /** Starts it headless; IOException naming what failed when it does not come up within {@code timeout}. */
    public static Browser launch(Path binary, Duration timeout) throws IOException {
        Path chromedriver = findDriver().orElseThrow(() -> new IOException(missing().orElse("no chromedriver")));
        Path profile = Files.createTempDirectory("echolab-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-default-apps", "--disable-extensions",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio", "--user-data-dir=" + profile);
        options.enableBiDi();
        options.setPageLoadTimeout(timeout);
        options.setScriptTimeout(timeout);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withTimeout(timeout).withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (WebDriverException e) {
            deleteQuietly(profile);
            throw new IOException(binary + " through " + chromedriver + " did not start: " + firstLine(e.getMessage()), e);
        }
    }

    /** The browser's one tab, at the given size, its requests and console errors counted from now. */
    public Page newPage(int width, int height) throws IOException {
        requests.clear();
        consoleErrors.clear();
        Page page = new Page();
        page.resize(width, height);
        return page;
    }

    /** Chromium's own command {@code method}, through chromedriver; its result as JSON. */
    private JsonNode cdp(String method, Map<String, Object> params) throws IOException {
        try {
            return Json.MAPPER.valueToTree(driver.executeCdpCommand(method, params));
        } catch (WebDriverException e) {
            throw new IOException(method + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** The tab. */
    public final class Page {

        private Page() {
        }

        public void resize(int width, int height) throws IOException {
            cdp("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        }

        /**
         * Opens {@code uri} and waits for its load event (at most the launch timeout), then for BiDi's report of
         * the page's own request, which travels apart from WebDriver's answer and may come a moment later.
         */
        public void open(URI uri) throws IOException {
            try {
                driver.get(uri.toString());
            } catch (WebDriverException e) {
                throw new IOException(uri + " did not load: " + firstLine(e.getMessage()), e);
            }
            awaitRequest(uri.toString(), Duration.ofSeconds(5));
        }

        /** Waits up to {@code timeout} for a request to a URL that ends with {@code suffix}; true when one came. */
        public boolean awaitRequest(String suffix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (requests().stream().noneMatch(u -> u.endsWith(suffix))) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        /** The value of a JavaScript expression (awaited if it is a promise), as JSON. */
        public JsonNode eval(String expression) throws IOException {
            JsonNode r = cdp("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new IOException("script failed: " + r.path("exceptionDetails").path("exception").path("description").asText(
                        r.path("exceptionDetails").toString()));
            }
            return r.path("result").path("value");
        }

        /** Emulates print media (or screen again), for checking the print stylesheet. */
        public void media(String media) throws IOException {
            cdp("Emulation.setEmulatedMedia", Map.of("media", media));
        }

        /** A PNG of the whole page (or of its top {@code maxHeight} pixels) into {@code file}. */
        public void screenshot(Path file, int maxHeight) throws IOException {
            screenshot(file, 0, maxHeight);
        }

        /** A PNG of the page from {@code top} down, at most {@code maxHeight} pixels, into {@code file}. */
        public void screenshot(Path file, double top, int maxHeight) throws IOException {
            JsonNode size = cdp("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
            double height = Math.min(maxHeight, size.path("height").asDouble() - top);
            JsonNode shot = cdp("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", top, "width", size.path("width").asDouble(), "height", height, "scale", 1)));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        }

        /** The page printed to PDF with its own @page size, as bytes. */
        public byte[] pdf() throws IOException {
            JsonNode r = cdp("Page.printToPDF", Map.of("preferCSSPageSize", true, "printBackground", true));
            return Base64.getDecoder().decode(r.path("data").asText());
        }

        /** Every URL asked for since this page was made. */
        public List<String> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        /** Every uncaught exception and console error since this page was made. */
        public List<String> consoleErrors() {
            synchronized (consoleErrors) {
                return List.copyOf(consoleErrors);
            }
        }
    }

    @Override
    public void close() {
        try {
            logs.close();
            network.close();
        } catch (RuntimeException e) {
            // the browser is quit below either way
        }
        driver.quit();
        deleteQuietly(profile);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
