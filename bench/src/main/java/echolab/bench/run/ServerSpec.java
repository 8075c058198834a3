package echolab.bench.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A server the bench can run: a teaching server, or a reference peer (Netty, native epoll). */
public record ServerSpec(String name, String kind, List<String> command, String unavailableReason) {

    static final List<String> ALL = List.of("sync", "thread-per-conn", "selector", "virtual-thread", "netty", "native");

    /** The same JVM flags for every JVM server, recorded in results.json. */
    public static final List<String> SERVER_JVM_FLAGS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    boolean available() {
        return unavailableReason == null;
    }

    public static ServerSpec of(String name, Path root, String java, Path nativeServer, String nativeProblem) {
        return switch (name) {
            case "sync", "thread-per-conn", "selector", "virtual-thread" -> jvm(name, "teaching",
                    List.of("-jar", root.resolve(name + "-echo/target/" + name + "-echo.jar").toString()), java);
            case "netty" -> jvm(name, "reference", List.of("-jar", root.resolve("bench/target/bench.jar").toString(), "netty-echo"), java);
            case "native" -> nativeServer != null
                    ? new ServerSpec(name, "reference", List.of(nativeServer.toString(), "--port", "0"), null)
                    : new ServerSpec(name, "reference", List.of(), nativeProblem);
            default -> throw new IllegalArgumentException("unknown server '" + name + "'; choose from " + ALL);
        };
    }

    private static ServerSpec jvm(String name, String kind, List<String> jarArgs, String java) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(SERVER_JVM_FLAGS);
        command.addAll(jarArgs);
        command.add("--port");
        command.add("0");
        String jar = jarArgs.get(1);
        return new ServerSpec(name, kind, command, Files.isRegularFile(Path.of(jar)) ? null : "not built: " + jar);
    }

    /** The command, pinned to {@code cpus} with taskset when there is one. */
    public List<String> pinnedCommand(String cpus) {
        if (cpus == null) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(command);
        return pinned;
    }
}
