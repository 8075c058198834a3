package echolab.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A terminator as a command line spells it ({@code --terminator}), and the flags that ask a line server for a framing. */
class FramingTest {

    @Test
    void everyByteSpelledWithEscapesReadsBackAsItself() {
        for (int b = 0; b < 256; b++) {
            Framing.Terminator t = new Framing.Terminator(new byte[] {'a', (byte) b, '\\'});
            assertArrayEquals(t.bytes(), Framing.Terminator.parse(t.escaped()).bytes(), t.escaped());
        }
        assertArrayEquals(new byte[] {'\r', '\n'}, Framing.Terminator.parse("\\r\\n").bytes());
        assertArrayEquals(new byte[] {0, (byte) 0xff}, Framing.Terminator.parse("\\x00\\xFF").bytes());
        assertEquals("\\n", ((Framing.Terminator) Framing.LINE).escaped());
    }

    @Test
    void aBadSpellingSaysWhatIsWrong() {
        for (String bad : List.of("", "\\", "\\q", "\\x4", "\\xg0", "\\x+1", "é")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Framing.Terminator.parse(bad), bad);
            assertTrue(e.getMessage().contains("terminator") || e.getMessage().contains("escape") || e.getMessage().contains("\\x"),
                    bad + ": " + e.getMessage());
        }
    }

    @Test
    void theFlagsThatAskALineServerForAFraming() {
        assertEquals(List.of("--terminator", "\\r\\n"), Framing.Terminator.parse("\\r\\n").arguments());
        assertEquals(List.of("--count", "5"), new Framing.Count(5).arguments());
    }
}
