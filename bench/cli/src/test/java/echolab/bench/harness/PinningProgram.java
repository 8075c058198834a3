package echolab.bench.harness;

import java.io.IOException;

/**
 * A program for {@link VirtualThreadTelemetryIT}: prints a {@code listening on} line as a server would, waits
 * for a line on stdin, then runs three virtual threads one after another that each block 30 ms inside a class
 * initialiser, which pins them to their carrier (the JVM cannot unmount a thread with a class initialiser on
 * its stack), prints {@code pinned 3} and waits to be stopped.
 */
public final class PinningProgram {

    private PinningProgram() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        System.out.println("listening on 127.0.0.1:9");
        System.in.read();
        for (Runnable init : new Runnable[] {First::init, Second::init, Third::init}) {
            Thread.ofVirtual().start(init).join();
        }
        System.out.println("pinned 3");
        Thread.sleep(60_000);
    }

    private static void sleep30() {
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class First {
        static {
            sleep30();
        }

        static void init() {
        }
    }

    private static final class Second {
        static {
            sleep30();
        }

        static void init() {
        }
    }

    private static final class Third {
        static {
            sleep30();
        }

        static void init() {
        }
    }
}
