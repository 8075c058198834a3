package echolab.bench.base;

import java.io.IOException;

/** A file that is not the run it should be (missing, not JSON, another schema): its message is the one line a user sees. */
public final class NotARun extends IOException {
    public NotARun(String message) {
        super(message);
    }
}
