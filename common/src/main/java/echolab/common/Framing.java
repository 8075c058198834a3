package echolab.common;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a line server's message ends (PROTOCOL.md, "Messages over the stream"): after a terminator, any byte
 * string ({@code \n} by default, as asynchat's {@code set_terminator(b"\n")}), or after a fixed count of bytes
 * ({@code set_terminator(n)}); and the bound no message passes.
 */
public sealed interface Framing permits Framing.Terminator, Framing.Count {

    /** The longest message a line server holds: one that reaches it without its terminator is answered as it is. */
    int MAX_MESSAGE = 64 * 1024;

    /** The flags that ask a line server, Java or Python, for this framing: {@code --terminator BYTES} or {@code --count N}. */
    default java.util.List<String> arguments() {
        return switch (this) {
            case Terminator t -> java.util.List.of("--terminator", t.escaped());
            case Count c -> java.util.List.of("--count", String.valueOf(c.bytes()));
        };
    }

    /** The terminator a load sent to a server framing so must end each message with; empty for a byte count. */
    default Optional<Terminator> terminator() {
        return this instanceof Terminator t ? Optional.of(t) : Optional.empty();
    }

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

        /**
         * The terminator a command line names, its bytes spelled as text with escapes: {@code \n}, {@code \r},
         * {@code \t}, {@code \\} and {@code \xHH}; IllegalArgumentException saying what is wrong.
         */
        public static Terminator parse(String escaped) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < escaped.length(); i++) {
                char c = escaped.charAt(i);
                if (c > 0x7e || (c < 0x20 && c != '\t')) {
                    throw new IllegalArgumentException("a terminator is spelled in printable ASCII with escapes (\\n, \\r, \\t, "
                            + "\\\\, \\xHH), not with character " + (int) c);
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (++i == escaped.length()) {
                    throw new IllegalArgumentException("'" + escaped + "' ends in the middle of an escape");
                }
                switch (escaped.charAt(i)) {
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        try {
                            if (i + 3 > escaped.length() || escaped.charAt(i + 1) == '+' || escaped.charAt(i + 1) == '-') {
                                throw new NumberFormatException();
                            }
                            out.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("'" + escaped + "': \\x needs two hex digits");
                        }
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("'" + escaped + "': unknown escape \\" + escaped.charAt(i)
                            + " (known: \\n, \\r, \\t, \\\\, \\xHH)");
                }
            }
            return new Terminator(out.toByteArray());
        }

        /** Its bytes spelled as {@link #parse} reads them: {@code \n} for a line. */
        public String escaped() {
            StringBuilder s = new StringBuilder();
            for (byte b : bytes) {
                switch (b) {
                    case '\n' -> s.append("\\n");
                    case '\r' -> s.append("\\r");
                    case '\t' -> s.append("\\t");
                    case '\\' -> s.append("\\\\");
                    default -> {
                        if (b >= 0x20 && b <= 0x7e) {
                            s.append((char) b);
                        } else {
                            s.append(String.format("\\x%02x", b & 0xff));
                        }
                    }
                }
            }
            return s.toString();
        }

        /** Whether {@code b} is one of its bytes. */
        public boolean contains(byte b) {
            for (byte t : bytes) {
                if (t == b) {
                    return true;
                }
            }
            return false;
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
            return "terminator " + escaped();
        }
    }

    /** A message is this many bytes. */
    record Count(int bytes) implements Framing {
        public Count {
            if (bytes < 1 || bytes > MAX_MESSAGE) {
                throw new IllegalArgumentException("a message of a fixed count is 1 to " + MAX_MESSAGE + " bytes, not " + bytes);
            }
        }

        @Override
        public String toString() {
            return "count " + bytes;
        }
    }
}
