package echolab.virtualthread;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import echolab.contract.FramingContract;

/** virtual-thread-lines from the command line, as ./echolab serve runs it: target/virtual-thread-echo.jar's LinesMain. */
class VirtualThreadLinesCliIT {
    @Test
    void servesLinesFromTheCommandLineAndStopsOnSigterm() throws Exception {
        FramingContract.assertServesLinesFromTheCommandLine(Path.of("target", "virtual-thread-echo.jar"), LinesMain.class.getName(),
                "virtual-thread-lines");
    }
}
