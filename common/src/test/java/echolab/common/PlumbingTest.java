package echolab.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The plumbing's own rules: a repeating fault is one line a second with a count; addresses print as people write them. */
class PlumbingTest {

    @Test
    void aFaultThatRepeatsIsLoggedOnceASecondWithACount() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        RateLimitedLog log = new RateLimitedLog(new PrintStream(out, true, StandardCharsets.UTF_8), "srv: accept failed: ", now::get);
        for (int i = 0; i < 313; i++) {
            log.report("Too many open files");
            now.addAndGet(1_000_000);                        // 313 failures, one a millisecond
        }
        now.addAndGet(800_000_000);                          // 1.113 s after the first
        log.report("Too many open files");
        now.addAndGet(5_000_000_000L);
        log.report("Too many open files");
        assertEquals(List.of("srv: accept failed: Too many open files",
                "srv: accept failed: Too many open files (312 more in the last second)",
                "srv: accept failed: Too many open files"), out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void ipv6AddressesPrintInTheirCompressedForm() throws Exception {
        assertEquals("[::1]", host("::1"));
        assertEquals("[::]", host("::"));
        assertEquals("[2001:db8::1:0:0:1]", host("2001:db8:0:0:1:0:0:1"));
        assertEquals("[2001:db8:0:1:1:1:1:1]", host("2001:db8:0:1:1:1:1:1"));
        assertEquals("[fe80::1]", host("fe80:0:0:0:0:0:0:1"));
        assertEquals("127.0.0.1", host("127.0.0.1"));
    }

    private static String host(String literal) throws Exception {
        return ServerCommand.hostString(new InetSocketAddress(InetAddress.getByName(literal), 7007));
    }
}
