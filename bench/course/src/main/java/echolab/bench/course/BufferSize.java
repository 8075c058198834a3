package echolab.bench.course;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value of a constant such as {@code private static final int BUFFER_SIZE = 8 * 1024;}, read from the line itself. */
final class BufferSize {

    private static final Pattern PRODUCT = Pattern.compile("=\\s*([0-9_]+(?:\\s*\\*\\s*[0-9_]+)*)\\s*;");

    private BufferSize() {
    }

    /** The product of the integer literals after '='; IllegalArgumentException when the line is not such a constant. */
    static long of(String line) {
        Matcher m = PRODUCT.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("not a constant product of integers: '" + line.strip() + "'");
        }
        long value = 1;
        for (String factor : m.group(1).split("\\*")) {
            value *= Long.parseLong(factor.strip().replace("_", ""));
        }
        return value;
    }
}
