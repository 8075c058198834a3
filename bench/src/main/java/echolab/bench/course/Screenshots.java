package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The course's screenshots (the side-by-side page, and one lesson), taken with headless Chromium from the written site. */
final class Screenshots {

    static final String SIDE_BY_SIDE = "side-by-side.png";
    static final String LESSON = "lesson-selector.png";

    private Screenshots() {
    }

    static List<Path> take(Path site, Path into) throws IOException, InterruptedException {
        Path chromium = Browser.find().orElseThrow(() -> new IOException(
                "no Chromium found for the screenshots: install Debian's 'chromium' (apt-get install chromium), or set ECHOLAB_CHROMIUM"));
        try (Browser browser = Browser.launch(chromium, Duration.ofSeconds(30))) {
            Browser.Page page = browser.newPage(1680, 1050);
            page.open(site.resolve("index.html").toUri());
            page.screenshot(into.resolve(SIDE_BY_SIDE), 2600);
            page.resize(1100, 900);
            page.open(site.resolve("selector.html").toUri());
            page.screenshot(into.resolve(LESSON), 5200);
        }
        return List.of(into.resolve(SIDE_BY_SIDE), into.resolve(LESSON));
    }
}
