package echolab.selector;

import echolab.common.Connections;
import echolab.common.EchoServer;
import echolab.common.Framing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import static java.nio.channels.SelectionKey.OP_ACCEPT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;

/**
 * Selector lines: the selector server's loop and dispatchers, with Python's asynchat on top: a chat layer
 * that finds where each message ends ({@code setTerminator}: a byte string, {@code \n} by default, or a byte
 * count), hands the bytes read to {@code collectIncomingData}, calls {@code foundTerminator} at each end, and
 * queues the answer with {@code push}. The server answers each message whole, once its terminator is in.
 *
 * <p>Cost: framing is a state machine spread over callbacks. A message may arrive in pieces or ten at a
 * time, so each connection keeps what it has read of the next message, and where the search for the
 * terminator resumes, between events; an answer costs a write of its own. Compare with
 * {@code SelectorEchoServer}, which echoes bytes as they come, and {@code VirtualThreadLinesServer}, where
 * the same framing is a loop that reads until the terminator.
 *
 * <pre>
 *   READING --a message ends--> answer written --all taken--> READING (the next message, if read)
 *                               answer written --part taken--> FLUSHING --all written--> READING
 *   READING --read() == -1--> what is left written back --> CLOSED
 *   any     --exception--> CLOSED (this connection only)
 * </pre>
 */
public final class SelectorLinesServer implements EchoServer {


    // ==== 1. Listen ====
    // Bind a listening channel and register it with the selector: the one object that tells a
    // single thread which of thousands of channels are ready.
    private static final int BACKLOG = 4096;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Selector selector = Selector.open();
    private final ServerSocketChannel listener = ServerSocketChannel.open();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);  // one thread: one buffer
    private final Connections connections;
    private final Framing framing;                                                  // where a message ends
    private final Acceptor acceptor;
    private volatile boolean stopping;
    private volatile boolean serving;

    public SelectorLinesServer(InetSocketAddress address, Connections connections) throws IOException {
        this(address, connections, Framing.LINE);
    }

    public SelectorLinesServer(InetSocketAddress address, Connections connections, Framing framing) throws IOException {
        this.connections = connections;
        this.framing = framing;
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
    // asynchat's layer over the dispatcher. Each read goes to collectIncomingData(), which keeps it in
    // the inbox: what has arrived of messages not yet answered. Then the inbox is searched for the end
    // of a message, resuming where the last search stopped (a terminator may arrive split across two
    // reads), and foundTerminator() gets each whole message. push() writes the answer; what the kernel
    // does not take waits in pendingOutput, and as in the selector server nothing is read meanwhile.
    private abstract class Chat extends Dispatcher {
        final SocketChannel channel;
        private byte[] terminator;               // the end of a message, or null when it is a count
        private int count;                       // the length of a message, when it is a count
        private byte[] inbox = new byte[0];      // read, not yet answered: grows to MAX_MESSAGE at most
        private ByteBuffer view = ByteBuffer.wrap(inbox);   // one message of the inbox at a time, not a new one each
        private int held;                        // bytes in the inbox
        private int searched;                    // where the search for the terminator resumes
        private ByteBuffer pendingOutput;        // an answer's bytes the kernel has not taken; null when none
        private boolean closeWhenDone;           // the client half-closed: close once all is written

        Chat(SocketChannel channel) throws IOException {
            super(channel);
            this.channel = channel;
        }

        void setTerminator(byte[] bytes) { terminator = bytes; }
        void setTerminator(int bytes) { terminator = null; count = bytes; }

        abstract void foundTerminator(ByteBuffer message) throws IOException;

        @Override
        boolean readable() { return pendingOutput == null && !closeWhenDone; }

        @Override
        boolean writable() { return pendingOutput != null; }

        @Override
        void handleRead() throws IOException {
            readBuffer.clear().limit(Math.min(readBuffer.capacity(), Framing.MAX_MESSAGE - held));   // the inbox's room
            if (channel.read(readBuffer) == -1) {   // Did the client half-close? Answer what is left.
                closeWhenDone = true;
                push(view.limit(held).position(0));
                held = 0;
                closeIfDone();
                return;
            }
            readBuffer.flip();
            collectIncomingData(readBuffer);
            answerWholeMessages();
        }

        void collectIncomingData(ByteBuffer data) {
            if (inbox.length < held + data.remaining()) {
                inbox = Arrays.copyOf(inbox, Math.min(Framing.MAX_MESSAGE, Math.max(held + data.remaining(), 2 * inbox.length)));
                view = ByteBuffer.wrap(inbox);
            }
            int n = data.remaining();
            data.get(inbox, held, n);
            held += n;
        }

        // Each message the inbox holds whole goes to foundTerminator(), until an answer must wait; then
        // what is left moves to the front of the inbox, once.
        void answerWholeMessages() throws IOException {
            int start = 0;
            int end;
            while (pendingOutput == null && (end = messageEnd(start)) > 0) {
                foundTerminator(view.limit(end).position(start));
                start = end;
                searched = end;
            }
            System.arraycopy(inbox, start, inbox, 0, held - start);
            held -= start;
            searched -= start;
        }

        private int messageEnd(int start) {      // where the first whole message from start ends; 0: none yet
            if (terminator == null) {
                return held - start >= count ? start + count : 0;
            }
            for (int i = searched; i + terminator.length <= held; i++) {
                if (Arrays.equals(inbox, i, i + terminator.length, terminator, 0, terminator.length)) {
                    return i + terminator.length;
                }
            }
            searched = Math.max(start, held - terminator.length + 1);   // a terminator may have begun at the end
            if (held - start == Framing.MAX_MESSAGE) {   // the bound, and no terminator: answered as it is, counted
                connections.overBound();
                return held;
            }
            return 0;
        }

        // push(): one write of the whole answer; what the kernel does not take is copied and waits.
        void push(ByteBuffer answer) throws IOException {
            connections.echoed(channel.write(answer));
            if (answer.hasRemaining()) {
                pendingOutput = ByteBuffer.allocate(answer.remaining()).put(answer).flip();
            }
        }

        @Override
        void handleWrite() throws IOException {
            connections.echoed(channel.write(pendingOutput));
            if (!pendingOutput.hasRemaining()) {
                pendingOutput = null;            // flushed: answer what waits, then read again
                answerWholeMessages();
                closeIfDone();
            }
        }

        private void closeIfDone() {
            if (closeWhenDone && pendingOutput == null) {
                handleClose();
            }
        }
    }

    // The echo, as asynchat's user writes it: set the terminator, answer each message with itself.
    private final class Connection extends Chat {

        Connection(SocketChannel channel) throws IOException {
            super(channel);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // an answer leaves now (no Nagle)
            switch (framing) {
                case Framing.Terminator t -> setTerminator(t.bytes());
                case Framing.Count c -> setTerminator(c.bytes());
            }
            connections.opened(channel);
        }

        @Override
        void foundTerminator(ByteBuffer message) throws IOException {
            push(message);
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

// Run it: ./echolab serve selector-lines    then, in another terminal: nc 127.0.0.1 7007
