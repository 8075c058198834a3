package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The course's screenshots, taken with headless Chromium from the written site: the side-by-side page as a
 * reader sees it (1680 wide, whole) and as a lecture room sees it projected (1280 x 720 and 1920 x 1080,
 * one screen from section 1 down), one lesson, the virtual-thread lesson's first screen at 1280 (the widest
 * page), and the chart that holds every server of the run, opened on its own.
 */
final class Screenshots {

    static final String SIDE_BY_SIDE = "side-by-side.png";
    static final String LESSON = "lesson-selector.png";
    static final String LESSON_1280 = "lesson-virtual-thread-1280.png";
    static final String EVERY_SERVER = "chart-idle-memory.png";
    static final List<int[]> PROJECTED = List.of(new int[] {1280, 720}, new int[] {1920, 1080});

    private Screenshots() {
    }

    static List<Path> take(Path site, Path into) throws IOException {
        Optional<String> missing = Browser.missing();
        if (missing.isPresent()) {
            throw new IOException("cannot take the screenshots: " + missing.get());
        }
        Path chromium = Browser.find().orElseThrow();
        try (Browser browser = Browser.launch(chromium, Duration.ofSeconds(30))) {
            Browser.Page page = browser.newPage(1680, 1050);
            page.open(site.resolve("index.html").toUri());
            page.screenshot(into.resolve(SIDE_BY_SIDE), 2600);
            List<Path> shots = new java.util.ArrayList<>(List.of(into.resolve(SIDE_BY_SIDE)));
            for (int[] size : PROJECTED) {
                Path shot = into.resolve("side-by-side-" + size[0] + ".png");
                page.resize(size[0], size[1]);
                page.open(site.resolve("index.html").toUri());
                double sectionOne = page.eval("document.querySelector('.cell[data-row=\"1\"]').getBoundingClientRect().top "
                        + "+ window.scrollY").asDouble();
                page.screenshot(shot, sectionOne, size[1]);
                shots.add(shot);
            }
            page.resize(1100, 900);
            page.open(site.resolve("selector.html").toUri());
            page.screenshot(into.resolve(LESSON), 5200);
            shots.add(into.resolve(LESSON));
            page.resize(1280, 900);
            page.open(site.resolve("virtual-thread.html").toUri());
            page.screenshot(into.resolve(LESSON_1280), 0, 900);
            shots.add(into.resolve(LESSON_1280));
            page.resize(760, 420);
            page.open(site.resolve("figures").resolve("idle-memory-virtual-thread.svg").toUri());
            page.screenshot(into.resolve(EVERY_SERVER), 0, 420);
            shots.add(into.resolve(EVERY_SERVER));
            return shots;
        }
    }
}
