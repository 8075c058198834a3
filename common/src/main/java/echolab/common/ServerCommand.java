package echolab.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line and lifecycle of every echo-lab server: flags, binding, the {@code listening on}
 * line, stopping on SIGINT/SIGTERM, and the summary. A teaching server's {@code main} is one call:
 * {@code ServerCommand.run("sync-echo", SyncEchoServer::new, args)}.
 *
 * <p>Exit codes: 1 when the server cannot listen (e.g. the port is in use),
 * 2 for bad usage. User errors print one line, never a stack trace.
 */
@Command(sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve the TCP echo protocol (RFC 862): every byte received is sent back unchanged.%n"
                + "Prints 'listening on HOST:PORT' once ready; SIGINT or SIGTERM stops it.",
        footer = {"", "Exit status: 1 cannot listen (e.g. port in use), 2 bad usage; stopped by a signal,",
                "the status is the signal's (130 for SIGINT, 143 for SIGTERM)."})
public final class ServerCommand implements Callable<Integer> {

    public static final int DEFAULT_PORT = 7007;
    private static final Duration STOP_WAIT = Duration.ofMillis(800);

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Use 0.0.0.0 for all interfaces.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT, converter = PortConverter.class,
            description = "TCP port, 0 to 65535 (default: ${DEFAULT-VALUE}); 0 picks a free port.")
    int port;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final String name;
    private final EchoServer.Factory factory;
    private final LinesFactory lines;                     // a line server's, with its framing; else null
    private final FramingOptions framing = new FramingOptions();

    private ServerCommand(String name, EchoServer.Factory factory, LinesFactory lines) {
        this.name = name;
        this.factory = factory;
        this.lines = lines;
    }

    /** How the plumbing creates a line server (PROTOCOL.md, "Messages over the stream"): bind, report, frame. */
    @FunctionalInterface
    public interface LinesFactory {
        EchoServer open(InetSocketAddress address, Connections connections, Framing framing) throws IOException;
    }

    /** A line server's flags: where a message ends. */
    static final class FramingOptions {
        @Option(names = "--terminator", paramLabel = "BYTES",
                description = "A message ends with these bytes, with escapes \\n, \\r, \\t, \\\\, \\xHH (default: \\n, a line).")
        String terminator;

        @Option(names = "--count", paramLabel = "N",
                description = "A message is N bytes, 1 to " + Framing.MAX_MESSAGE + ", instead of ending with a terminator.")
        Integer count;

        Framing framing(CommandLine commandLine) {
            try {
                if (terminator != null && count != null) {
                    throw new IllegalArgumentException("--terminator and --count are two ways to end a message: give one");
                }
                return count != null ? new Framing.Count(count)
                        : terminator != null ? Framing.Terminator.parse(terminator) : Framing.LINE;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
    }

    /** Parses {@code args}, runs the server until it is stopped, and exits the JVM with the exit code. */
    public static void run(String name, EchoServer.Factory factory, String[] args) {
        System.exit(execute(name, factory, args));
    }

    /** Like {@link #run} but returns the exit code instead of exiting (for tests). */
    public static int execute(String name, EchoServer.Factory factory, String[] args) {
        CommandLine commandLine = new CommandLine(new ServerCommand(name, factory, null));
        commandLine.setCommandName(name);
        return commandLine.execute(args);
    }

    /** Like {@link #run}, for a line server: its framing from {@code --terminator} or {@code --count}. */
    public static void runLines(String name, LinesFactory factory, String[] args) {
        System.exit(executeLines(name, factory, args));
    }

    /** Like {@link #runLines} but returns the exit code instead of exiting (for tests). */
    public static int executeLines(String name, LinesFactory factory, String[] args) {
        ServerCommand command = new ServerCommand(name, null, factory);
        CommandLine commandLine = new CommandLine(command);
        commandLine.addMixin("framing", command.framing);
        commandLine.getCommandSpec().usageMessage().description(
                "Serve the line echo (PROTOCOL.md): each message goes back whole, in one write, once its terminator has "
                        + "arrived; what follows the last one goes back at the half-close. A message reaching "
                        + Framing.MAX_MESSAGE / 1024 + " KiB without its terminator goes back as it is, counted.%n"
                        + "Prints 'listening on HOST:PORT' once ready; SIGINT or SIGTERM stops it.");
        commandLine.setCommandName(name);
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Lifeline.watchIfAsked(name);            // started by a tool: end with it
        SchedulerEvent.registerIfRecording();   // recorded by a tool: the scheduler's counts too
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            System.err.println(name + ": unknown host '" + host + "'");
            return 2;
        }

        Connections connections = new Connections(name);
        EchoServer server;
        Framing framed = lines == null ? null : framing.framing(spec.commandLine());
        try {
            server = lines == null ? factory.open(address, connections) : lines.open(address, connections, framed);
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            System.err.println(why.contains("in use")
                    ? name + ": port " + port + " is already in use on " + host
                    : name + ": cannot listen on " + host + ":" + port + ": " + why);
            return 1;
        } catch (IOException e) {
            System.err.println(name + ": cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }

        CountDownLatch served = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, connections, served), name + "-stop"));

        InetSocketAddress bound = server.address();
        System.out.println("listening on " + hostString(bound) + ":" + bound.getPort());
        System.out.flush();
        try {
            server.serve();
        } finally {
            served.countDown();
        }
        return 0;
    }

    /**
     * SIGINT/SIGTERM: close the server, give its loop and the connections still finishing a moment
     * (bounded) so that their last writes are counted, print the summary.
     */
    private static void stop(EchoServer server, Connections connections, CountDownLatch served) {
        try {
            long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            server.close();
            served.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            connections.awaitAllClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (IOException e) {
            System.err.println("error while stopping: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println(connections.summary());
        System.err.println(machineSummary(connections));
        System.err.flush();
    }

    /**
     * The same figures for machines, one JSON line (read by ./echolab check): connections served, bytes
     * echoed, failures, and what the JVM spent: bytes allocated by all threads, threads started.
     */
    static String machineSummary(Connections connections) {
        long allocated = -1;
        long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
            allocated = t.getTotalThreadAllocatedBytes();
        }
        return String.format("{\"echo-lab\":\"stop-summary\",\"served\":%d,\"bytesEchoed\":%d,\"failed\":%d,"
                        + "\"acceptFailures\":%d,\"refused\":%d,\"bytesAllocated\":%d,\"threadsStarted\":%d}",
                connections.served(), connections.bytesEchoed(), connections.failedCount(), connections.acceptFailures(),
                connections.refusedCount(), allocated, threads);
    }

    /** "127.0.0.1", or an IPv6 address in its usual compressed form in brackets: "[::1]" (RFC 5952). */
    static String hostString(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet6Address v6)) {
            return address.getAddress().getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;                                  // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 1 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.append(']').toString();
    }

    /** Ports are 0 to 65535; anything else is a usage error (exit 2), not a stack trace. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a port number");
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("port " + port + " is out of range (0 to 65535)");
            }
            return port;
        }
    }
}
