package echolab.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.SplittableRandom;

import echolab.common.Framing;

/**
 * The byte stream each connection sends, and the check of what comes back. Every connection sends a
 * fixed pseudo-random pattern from its own offset, so an echoed byte can be checked in place, with a
 * vectorised {@link ByteBuffer#mismatch}, and nothing is allocated per message. For a line server
 * (PROTOCOL.md, "Messages over the stream") the pattern is cut into messages: each ends with the
 * terminator and holds none of its bytes before it, and every connection starts on a message's first byte.
 */
public final class StreamVerifier {

    static final int PERIOD = 65_521;             // prime: offsets never line up with message sizes
    public static final int CHUNK = 64 * 1024;

    private final ByteBuffer pattern;
    private final int period;                     // the pattern repeats after this many bytes
    private final int alignment;                  // a stream starts at a multiple of this

    /** A verifier over {@code shared} (from {@link Pattern#of}); one per event loop. */
    public StreamVerifier(Pattern shared) {
        this.pattern = shared.bytes().duplicate();
        this.period = shared.period();
        this.alignment = shared.alignment();
    }

    /**
     * The bytes every connection's stream is cut from: {@code period} bytes, then a CHUNK-long tail that repeats
     * them, so that a slice never wraps; a stream starts at a multiple of {@code alignment}. Shared, read-only.
     */
    public record Pattern(ByteBuffer bytes, int period, int alignment) {

        /**
         * For messages of {@code size} bytes: plain pseudo-random bytes for the echo of a stream, or messages that
         * each end with {@code terminator} (which {@code size} must exceed) and hold no byte of it before that.
         */
        public static Pattern of(int size, Optional<Framing.Terminator> terminator) {
            SplittableRandom random = new SplittableRandom(862);
            if (terminator.isEmpty()) {
                byte[] period = new byte[PERIOD];
                for (int i = 0; i < period.length; i++) {
                    period[i] = (byte) random.nextInt(256);
                }
                return new Pattern(repeated(period), PERIOD, 1);
            }
            Framing.Terminator t = terminator.get();
            byte[] end = t.bytes();
            if (size <= end.length) {
                throw new IllegalArgumentException("a message of " + size + " bytes cannot hold the " + end.length
                        + "-byte terminator and a byte before it");
            }
            byte[] period = new byte[size * Math.max(1, Math.ceilDiv(PERIOD, size))];
            for (int m = 0; m < period.length; m += size) {
                int body = m + size - end.length;
                for (int i = m; i < body; i++) {
                    byte b;
                    do {
                        b = (byte) random.nextInt(256);
                    } while (t.contains(b));
                    period[i] = b;
                }
                System.arraycopy(end, 0, period, body, end.length);
            }
            return new Pattern(repeated(period), period.length, size);
        }

        private static ByteBuffer repeated(byte[] period) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(period.length + CHUNK);
            for (int i = 0; i < bytes.capacity(); i++) {
                bytes.put(i, period[i % period.length]);
            }
            return bytes.asReadOnlyBuffer();
        }
    }

    /** Where connection {@code id}'s stream starts in the pattern. */
    public int streamStart(int id) {
        return (int) ((id * 7_919L) % (period / alignment)) * alignment;
    }

    /** Writes up to {@code n} (at most CHUNK) bytes of a stream from {@code offset}; returns how many the kernel took. */
    public int write(SocketChannel channel, int streamStart, long offset, int n) throws IOException {
        int at = (int) ((streamStart + offset) % period);
        pattern.limit(at + n).position(at);
        return channel.write(pattern);
    }

    /** The index in {@code received} (flipped) of the first byte that differs from the stream at {@code offset}, or -1. */
    public int mismatch(ByteBuffer received, int streamStart, long offset) {
        int at = (int) ((streamStart + offset) % period);
        pattern.limit(at + received.remaining()).position(at);
        return received.mismatch(pattern);
    }
}
