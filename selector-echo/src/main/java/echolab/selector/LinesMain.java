package echolab.selector;

import echolab.common.ServerCommand;

/** `java -cp selector-echo.jar echolab.selector.LinesMain [--host H] [--port P]`: selector-lines, its lines ending in \n. */
public final class LinesMain {
    private LinesMain() {
    }

    public static void main(String[] args) {
        ServerCommand.run("selector-lines", SelectorLinesServer::new, args);
    }
}
