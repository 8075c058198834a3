package echolab.selector;

import echolab.common.ServerCommand;

/** `java -cp selector-echo.jar echolab.selector.LinesMain [--host H] [--port P] [--terminator BYTES | --count N]`: selector-lines, its messages ending in \n unless told otherwise. */
public final class LinesMain {
    private LinesMain() {
    }

    public static void main(String[] args) {
        ServerCommand.runLines("selector-lines", SelectorLinesServer::new, args);
    }
}
