package echolab.bench.load;

/** What went wrong or right on the connections of one run; summed over the generator's threads. */
public final class Counters {
    long connectionsOpened;
    long connectFailures;
    long messagesCompleted;     // in the measured window
    long bytesEchoed;           // in the measured window, verified
    long mismatches;            // an echoed byte differed from the byte sent
    long shortReads;            // the server closed before echoing everything sent
    long unexpectedCloses;      // the server closed a connection with nothing outstanding
    long resets;                // read/write failed (connection reset, broken pipe, ...)
    long timedOutConnections;   // outstanding messages and no byte back for --response-timeout
    long starvedConnections;    // opened, but not one message answered during the whole run
    long unansweredMessages;    // never answered: in flight on timed-out connections; open loop: planned in the window
    long messagesDue;           // open loop: messages planned in the measured window
    String firstError;

    void add(Counters o) {
        connectionsOpened += o.connectionsOpened;
        connectFailures += o.connectFailures;
        messagesCompleted += o.messagesCompleted;
        bytesEchoed += o.bytesEchoed;
        mismatches += o.mismatches;
        shortReads += o.shortReads;
        unexpectedCloses += o.unexpectedCloses;
        resets += o.resets;
        timedOutConnections += o.timedOutConnections;
        starvedConnections += o.starvedConnections;
        unansweredMessages += o.unansweredMessages;
        messagesDue += o.messagesDue;
        if (firstError == null) {
            firstError = o.firstError;
        }
    }

    void error(String message) {
        if (firstError == null) {
            firstError = message;
        }
    }

    /** Errors a correct echo server never causes (starvation and timeouts are reported apart). */
    long errors() {
        return connectFailures + mismatches + shortReads + unexpectedCloses + resets;
    }
}
