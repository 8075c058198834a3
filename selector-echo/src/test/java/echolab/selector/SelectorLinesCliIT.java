package echolab.selector;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import echolab.contract.FramingContract;

/** selector-lines from the command line, as ./echolab serve runs it: target/selector-echo.jar's LinesMain. */
class SelectorLinesCliIT {
    @Test
    void servesLinesFromTheCommandLineAndStopsOnSigterm() throws Exception {
        FramingContract.assertServesLinesFromTheCommandLine(Path.of("target", "selector-echo.jar"), LinesMain.class.getName(),
                "selector-lines");
    }
}
