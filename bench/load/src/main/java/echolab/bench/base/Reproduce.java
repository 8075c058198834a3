package echolab.bench.base;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command that reproduces a run, built from what picocli parsed rather than retyped: {@code ./echolab},
 * the command, every option the user gave and every option with a default (so that a later change of
 * default does not change what the line means), then the parameters. Hidden options (--root) are left out.
 */
public final class Reproduce {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./,:=@%+-]+");

    private Reproduce() {
    }

    /** The command line for the command {@code spec} as it was parsed. */
    public static String of(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> words = new ArrayList<>(List.of("./echolab", spec.name()));
        for (OptionSpec option : spec.options()) {
            if (option.hidden() || option.usageHelp() || option.versionHelp()) {
                continue;
            }
            boolean given = parsed != null && parsed.hasMatchedOption(option);
            if (option.arity().max() == 0) {                       // a switch: named when it is on
                if (given) {
                    words.add(option.longestName());
                }
            } else if (given) {
                for (String value : option.originalStringValues()) {
                    words.add(option.longestName());
                    words.add(quote(value));
                }
            } else if (option.defaultValue() != null) {
                words.add(option.longestName());
                words.add(quote(option.defaultValue()));
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                p.originalStringValues().forEach(v -> words.add(quote(v)));
            }
        }
        return String.join(" ", words);
    }

    /** A value as a shell reads it back: as it is when plain, else in single quotes. */
    static String quote(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    /** The values of the options and parameters a user can give, by name, to compare two parses. */
    public static List<String> values(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        for (ArgSpec arg : spec.args()) {
            if (!arg.hidden() && !(arg instanceof OptionSpec o && o.usageHelp())) {
                out.add((arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel()) + "=" + String.valueOf((Object) arg.getValue()));
            }
        }
        return out;
    }
}
