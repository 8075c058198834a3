package echolab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every command's --help renders whole: exit 0, no picocli warning, no format string left unreplaced. */
class HelpTest {

    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            Cli.Outcome help = Cli.run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().contains("Usage: echolab " + command), command + ": " + help.out());
            assertFalse(help.err().contains("picocli WARN") || help.out().contains("%n"), command + " --help: " + help.err());
        }
    }
}
