package echolab.bench.load;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One connection of the generator: its channel, where it is in its byte stream, its messages in flight. */
final class Connection {

    final int id;
    final int index;                   // position within its event loop, for the open-loop stagger
    final int streamStart;
    private final int size;
    private final long[] sendTimes;    // ring: actual send time of each message in flight
    SocketChannel channel;
    SelectionKey key;
    boolean open;
    boolean connected;                 // established at some point
    boolean finished;                  // its unanswered messages have been accounted for
    long messagesStarted;              // messages whose bytes we began to send
    long messagesDone;                 // messages fully echoed
    long scheduleBase;                 // messagesStarted when the schedule took over from the ramp-up
    long bytesSent;
    long bytesReceived;
    long lastProgressNanos;
    long answered;                     // messages answered over the whole run
    long answeredInWindow;
    long freeSinceNanos;               // when its last message was answered: from then on, a late send is the generator's

    Connection(int id, int index, int size, int pipeline, StreamVerifier stream) {
        this.id = id;
        this.index = index;
        this.streamStart = stream.streamStart(id);
        this.size = size;
        this.sendTimes = new long[pipeline];
    }

    int inFlight() {
        return (int) (messagesStarted - messagesDone);
    }

    /** Still writing the bytes of messages already started (the kernel was full). */
    boolean writing() {
        return bytesSent < messagesStarted * size;
    }

    /** Starts the next message: notes when it was sent. */
    void start(long now) {
        sendTimes[(int) (messagesStarted % sendTimes.length)] = now;
        messagesStarted++;
    }

    long sentAt(long message) {
        return sendTimes[(int) (message % sendTimes.length)];
    }

    /** Writes the bytes of started messages not yet written; watches OP_WRITE only while the kernel is full. */
    void flush(StreamVerifier stream) throws IOException {
        long target = messagesStarted * size;
        while (bytesSent < target) {
            int n = (int) Math.min(target - bytesSent, StreamVerifier.CHUNK);
            int written = stream.write(channel, streamStart, bytesSent, n);
            bytesSent += written;
            if (written < n) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
        if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void close() {
        open = false;
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the connection is being dropped either way
        }
    }
}
