package echolab.selector;

import echolab.common.Connections;
import echolab.common.EchoServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;

/**
 * Selector echo: one thread, non-blocking channels and a {@code java.nio} Selector, written the way
 * Python's asyncore is: dispatchers that answer {@code readable()}/{@code writable()} and get
 * {@code handleAccept}/{@code handleRead}/{@code handleWrite}/{@code handleClose}/{@code handleError}.
 *
 * <p>Cost: no thread per client and no buffer per idle client; the price is that nothing may block,
 * so the code is turned inside out: each connection keeps its state between callbacks. Compare with
 * {@code SyncEchoServer}: one thread too, but this one serves everybody at once.
 *
 * <pre>
 *   READING --write() took part--> FLUSHING --all written--> READING
 *   READING --read() == -1 (client half-closed)--> CLOSED
 *   any     --exception--> CLOSED (this connection only)
 * </pre>
 */
public final class SelectorEchoServer implements EchoServer {

    // ==== 1. Listen ====
    // Bind a listening channel and register it with the selector: the one object that tells a
    // single thread which of thousands of channels are ready.
    private static final int BACKLOG = 4096;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Selector selector = Selector.open();
    private final ServerSocketChannel listener = ServerSocketChannel.open();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);  // one thread: one buffer
    private final Connections connections;
    private final Acceptor acceptor;
    private volatile boolean stopping;
    private volatile boolean serving;

    public SelectorEchoServer(InetSocketAddress address, Connections connections) throws IOException {
        this.connections = connections;
        listener.bind(address, BACKLOG);
        acceptor = new Acceptor();
        acceptor.updateInterest();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.socket().getLocalSocketAddress();
    }

    // ==== 2. Wait for work and dispatch ====
    // The loop: wait until some channels are ready, run each one's callbacks, wait again. While the
    // acceptor pauses (below), the wait ends when the pause does, and the acceptor is asked again.
    @Override
    public void serve() throws IOException {
        serving = true;
        try {
            while (!stopping) {
                selector.select(key -> ((Dispatcher) key.attachment()).dispatch(), acceptor.millisPaused());
                acceptor.updateInterest();
            }
        } finally {
            serving = false;
            closeEverything();
        }
    }

    // A dispatcher is asyncore's idea: a channel, two questions (readable? writable?) that decide
    // what the selector watches for it, and a callback per event. dispatch() runs the callbacks and
    // turns any exception into handleError(), so a failure stays with its own channel.
    private abstract class Dispatcher {
        final SelectionKey key;

        Dispatcher(SelectableChannel channel) throws IOException {   // the creator then calls updateInterest()
            channel.configureBlocking(false);
            key = channel.register(selector, 0, this);
        }

        boolean readable() { return true; }
        boolean writable() { return false; }
        void handleAccept() throws IOException { }
        void handleRead() throws IOException { }
        void handleWrite() throws IOException { }
        void handleClose() { }                   // the listener closes only on stop (section 5)
        abstract void handleError(Exception e);

        final void dispatch() {
            try {
                if (key.isAcceptable()) handleAccept();
                if (key.isValid() && key.isReadable()) handleRead();
                if (key.isValid() && key.isWritable()) handleWrite();
                if (key.isValid()) updateInterest();
            } catch (IOException | RuntimeException e) {
                handleError(e);
            }
        }

        // asyncore asks every channel before each poll. Only a callback (and, for the acceptor, the
        // clock) can change the answers, so asking the one that just ran is the same, and cheap.
        final void updateInterest() {
            int readOp = key.channel().validOps() & (OP_ACCEPT | OP_READ);  // a listener "reads" clients
            key.interestOps((readable() ? readOp : 0) | (writable() ? OP_WRITE : 0));
        }
    }

    // The acceptor "reads" new clients. When accept fails (out of file descriptors, say), sleeping
    // would stall every connection, so it stops accepting for a moment instead: readable() is false
    // until resumeAt, and the loop's wait ends then. Netty does the same.
    private final class Acceptor extends Dispatcher {
        private long resumeAt = System.nanoTime();

        Acceptor() throws IOException {
            super(listener);
        }

        @Override
        boolean readable() { return millisPaused() == 0; }

        long millisPaused() {                    // 0: accepting (to select(): wait as long as it takes)
            return Math.max(0, (resumeAt - System.nanoTime() + 999_999) / 1_000_000);   // rounded up
        }

        @Override
        void handleAccept() throws IOException {
            SocketChannel channel = listener.accept();
            if (channel != null) {               // null: the client gave up before we got to it
                new Connection(channel).updateInterest();
            }
        }

        @Override
        void handleError(Exception e) {
            resumeAt = connections.acceptFailedRetryAt(e);
        }
    }

    // ==== 3. Echo one connection ====
    // Nothing blocks, so a connection keeps its state between events: the bytes read but not yet
    // written back. handleRead() reads into the loop's shared buffer and writes straight back.
    // If the kernel takes only part (the client is slow to read), the rest becomes pendingOutput:
    // readable() turns false, so we stop reading, and writable() true, so OP_WRITE is watched
    // only until it is flushed. That is backpressure: at most one buffer waits per connection.
    private final class Connection extends Dispatcher {
        private final SocketChannel channel;
        private ByteBuffer pendingOutput;        // read, not yet written back; null when none

        Connection(SocketChannel channel) throws IOException {
            super(channel);
            this.channel = channel;
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // a write leaves now (no Nagle)
            connections.opened(channel);
        }

        @Override
        boolean readable() { return pendingOutput == null; }

        @Override
        boolean writable() { return pendingOutput != null; }

        @Override
        void handleRead() throws IOException {
            readBuffer.clear();
            if (channel.read(readBuffer) == -1) {   // Did the client half-close? All is echoed.
                handleClose();
                return;
            }
            readBuffer.flip();
            connections.echoed(channel.write(readBuffer));   // may take less than all
            if (readBuffer.hasRemaining()) {
                pendingOutput = ByteBuffer.allocate(readBuffer.remaining()).put(readBuffer).flip();
            }
        }

        @Override
        void handleWrite() throws IOException {
            connections.echoed(channel.write(pendingOutput));
            if (!pendingOutput.hasRemaining()) {
                pendingOutput = null;            // flushed: read again, stop watching OP_WRITE
            }
        }

        // ==== 4. Errors and close ====
        // Any exception in this connection's callbacks arrives here through dispatch(): one line
        // to stderr, this channel closed (which cancels its key), the loop goes on.
        @Override
        void handleError(Exception e) {
            connections.failed(channel, e);
            handleClose();
        }

        @Override
        void handleClose() {
            connections.closed(channel);
            try {
                channel.close();
            } catch (IOException e) {
                connections.failed(channel, e);
            }
        }
    }

    // ==== 5. Stop ====
    // Only the loop's thread touches channels, so close() raises a flag and wakes the selector;
    // the loop sees it, leaves, and closes every channel as asyncore's close_all() does. If no loop
    // is running (serve() never ran, or has ended), close() does that itself.
    @Override
    public void close() throws IOException {
        connections.stopping();
        stopping = true;
        selector.wakeup();
        if (!serving) closeEverything();
    }

    private synchronized void closeEverything() throws IOException {
        if (selector.isOpen()) {                 // once, whoever gets here first
            selector.keys().forEach(key -> ((Dispatcher) key.attachment()).handleClose());
            listener.close();
            selector.close();
        }
    }
}

// Run it: ./echolab serve selector    then, in another terminal: nc 127.0.0.1 7007
