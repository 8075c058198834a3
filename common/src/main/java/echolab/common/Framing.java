package echolab.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a line server's message ends (PROTOCOL.md, "Messages over the stream"): after a terminator, any byte
 * string ({@code \n} by default, as asynchat's {@code set_terminator(b"\n")}), or after a fixed count of bytes
 * ({@code set_terminator(n)}); and the bound no message passes.
 */
public sealed interface Framing permits Framing.Terminator, Framing.Count {

    /** The longest message a line server holds: one that reaches it without its terminator is answered as it is. */
    int MAX_MESSAGE = 64 * 1024;

    /** A line: a message ends with {@code \n}. */
    Framing LINE = new Terminator("\n".getBytes(StandardCharsets.US_ASCII));

    /** A message ends with these bytes, which belong to it. */
    record Terminator(byte[] bytes) implements Framing {
        public Terminator {
            if (bytes.length == 0 || bytes.length >= MAX_MESSAGE) {
                throw new IllegalArgumentException("a terminator is 1 to " + (MAX_MESSAGE - 1) + " bytes, not " + bytes.length);
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Terminator t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "terminator " + Arrays.toString(bytes);
        }
    }

    /** A message is this many bytes. */
    record Count(int bytes) implements Framing {
        public Count {
            if (bytes < 1 || bytes > MAX_MESSAGE) {
                throw new IllegalArgumentException("a message of a fixed count is 1 to " + MAX_MESSAGE + " bytes, not " + bytes);
            }
        }
    }
}
