package echolab.contract;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A blocking test client with timeouts everywhere, so a broken server fails a test instead of hanging it. */
public final class TestClient implements AutoCloseable {

    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** 15 s; the exercises, which run the suite against servers known to be broken, set it shorter. */
    public static final int READ_TIMEOUT_MILLIS = Integer.getInteger("echolab.test.readTimeoutMillis", 15_000);

    public final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static TestClient connect(InetSocketAddress address) throws IOException {
        return connect(address, -1);
    }

    /** Connects; a positive {@code receiveBuffer} fixes SO_RCVBUF (turning off the kernel's autotuning). */
    public static TestClient connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(address, CONNECT_TIMEOUT_MILLIS);
        return new TestClient(socket);
    }

    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** Writes {@code data} on another thread (one write call), so the caller can read at the same time. */
    public CompletableFuture<Void> writeAsync(byte[] data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("test-writer").start(() -> {
            try {
                write(data);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * A client that writes and never reads: on a thread of its own, writes {@code chunk} again and again until
     * {@code limit} bytes were taken or the socket is closed under it; {@code taken} counts what the kernel took.
     */
    public Thread writeWithoutReading(byte[] chunk, long limit, AtomicLong taken) {
        return Thread.ofPlatform().daemon().name("never-reading").start(() -> {
            try {
                while (taken.get() < limit) {
                    write(chunk);
                    taken.addAndGet(chunk.length);
                }
            } catch (IOException expected) {
                // the socket was closed (or reset) while this write was blocked
            }
        });
    }

    /**
     * Waits until {@code counter} (what {@link #writeWithoutReading} has had taken, say) has not moved for
     * {@code quietMillis}, or {@code maxMillis} have passed; the caller asserts what it expects of it then.
     */
    public static void waitUntilStalled(AtomicLong counter, long quietMillis, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** Reads exactly {@code n} bytes; fails on EOF or after the read timeout. */
    public byte[] readExactly(int n) throws IOException {
        byte[] data = new byte[n];
        int done = 0;
        while (done < n) {
            int r = in.read(data, done, n - done);
            if (r == -1) {
                throw new EOFException("EOF after " + done + " of " + n + " bytes");
            }
            done += r;
        }
        return data;
    }

    /**
     * Reads exactly {@code n} bytes a little at a time, pausing between reads so that an echo lags
     * behind what was sent; {@code progress} follows how much has arrived. Fails on EOF or timeout.
     */
    public byte[] readSlowly(int n, java.util.concurrent.atomic.AtomicLong progress) {
        byte[] data = new byte[n];
        int done = 0;
        try {
            while (done < n) {
                int r = in.read(data, done, Math.min(16 * 1024, n - done));
                if (r == -1) {
                    throw new EOFException("EOF after " + done + " of " + n + " bytes");
                }
                done += r;
                progress.set(done);
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return data;
    }

    /** One read call: -1 at EOF. */
    public int read(byte[] buffer) throws IOException {
        return in.read(buffer);
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    public byte[] roundTrip(byte[] message) throws IOException {
        write(message);
        return readExactly(message.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Deterministic pseudo-random bytes: the same seed gives the same data. */
    public static byte[] randomBytes(int n, long seed) {
        byte[] data = new byte[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }
}
