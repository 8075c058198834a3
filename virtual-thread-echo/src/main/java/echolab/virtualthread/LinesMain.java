package echolab.virtualthread;

import echolab.common.ServerCommand;

/** `java -cp virtual-thread-echo.jar echolab.virtualthread.LinesMain [--host H] [--port P] [--terminator BYTES | --count N]`: virtual-thread-lines, its messages ending in \n unless told otherwise. */
public final class LinesMain {
    private LinesMain() {
    }

    public static void main(String[] args) {
        ServerCommand.runLines("virtual-thread-lines", VirtualThreadLinesServer::new, args);
    }
}
