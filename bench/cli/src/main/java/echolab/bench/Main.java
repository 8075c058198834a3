package echolab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import echolab.bench.alloc.AllocCommand;
import echolab.bench.check.CheckCommand;
import echolab.bench.course.CourseCommand;
import echolab.bench.exercise.ExerciseCommand;
import echolab.bench.report.CompareCommand;
import echolab.bench.report.ReportCommand;
import echolab.bench.run.BenchCommand;
import echolab.bench.scale.ScaleCommand;
import echolab.bench.capacity.CapacityCommand;
import echolab.common.Lifeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import echolab.bench.load.LoadCommand;

/** {@code java -jar bench.jar <load|bench|scale|capacity|report|compare|check|alloc|...>}: what the ./echolab commands run. */
@Command(name = "echolab", mixinStandardHelpOptions = false,
        description = "echo-lab's measuring tools.",
        subcommands = {LoadFromHostsCommand.class, BenchCommand.class, ReportCommand.class, CompareCommand.class, CheckCommand.class,
            ScaleCommand.class, CapacityCommand.class, AllocCommand.class, CourseCommand.class, ExerciseCommand.class,
            EnvironmentCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    public static void main(String[] args) {
        Lifeline.watchIfAsked("echolab");            // run as another tool's child (a test's, say): end with it
        int status;
        try {
            status = commandLine().execute(args);
        } catch (Error e) {                          // picocli hands on Errors: exit 2 for them too, never the gate's 1 (FAIL)
            System.err.println("echolab: " + e);
            status = 2;
        }
        System.exit(status);
    }

    /** The command line every caller runs, the tests included. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::unexpected)
                .setParameterExceptionHandler(Main::usageError).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Bad usage, found by picocli or by a command's own checks: one line naming the command, exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !command.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown action '" + u.getUnmatched().get(0) + "'; choose " + String.join(", ", command.getSubcommands().keySet());
        }
        System.err.println(command.getCommandName() + ": " + message);
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /** An exception no command expected: one line, exit 2, and the stack trace in a file for the bug report. */
    private static int unexpected(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        String where;
        try {
            Path trace = Files.createTempFile("echolab-error-", ".txt");
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            Files.writeString(trace, text.toString());
            where = "; stack trace in " + trace;
        } catch (IOException ignored) {
            where = "";
        }
        System.err.println("echolab " + command.getCommandName() + ": unexpected " + e.getClass().getSimpleName() + ": "
                + e.getMessage() + where);
        return 2;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
