package echolab.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;

/**
 * The byte stream each connection sends, and the check of what comes back. Every connection sends a
 * fixed pseudo-random pattern from its own offset, so an echoed byte can be checked in place, with a
 * vectorised {@link ByteBuffer#mismatch}, and nothing is allocated per message.
 */
public final class StreamVerifier {

    static final int PERIOD = 65_521;             // prime: offsets never line up with message sizes
    public static final int CHUNK = 64 * 1024;

    private final ByteBuffer pattern;

    /** A verifier over {@code shared} (from {@link #newPattern()}); one per event loop. */
    public StreamVerifier(ByteBuffer shared) {
        this.pattern = shared.duplicate();
    }

    /** PERIOD pseudo-random bytes, then a CHUNK-long tail that repeats them, so a slice never wraps. */
    public static ByteBuffer newPattern() {
        ByteBuffer pattern = ByteBuffer.allocateDirect(PERIOD + CHUNK);
        SplittableRandom random = new SplittableRandom(862);
        byte[] period = new byte[PERIOD];
        for (int i = 0; i < period.length; i++) {
            period[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < pattern.capacity(); i++) {
            pattern.put(i, period[i % period.length]);
        }
        return pattern;
    }

    /** Where connection {@code id}'s stream starts in the pattern. */
    public static int streamStart(int id) {
        return (int) ((id * 7_919L) % PERIOD);
    }

    /** Writes up to {@code n} (at most CHUNK) bytes of a stream from {@code offset}; returns how many the kernel took. */
    public int write(SocketChannel channel, int streamStart, long offset, int n) throws IOException {
        int at = (int) ((streamStart + offset) % PERIOD);
        pattern.limit(at + n).position(at);
        return channel.write(pattern);
    }

    /** The index in {@code received} (flipped) of the first byte that differs from the stream at {@code offset}, or -1. */
    public int mismatch(ByteBuffer received, int streamStart, long offset) {
        int at = (int) ((streamStart + offset) % PERIOD);
        pattern.limit(at + received.remaining()).position(at);
        return received.mismatch(pattern);
    }
}
