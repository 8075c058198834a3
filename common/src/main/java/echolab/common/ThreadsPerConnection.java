package echolab.common;

/** What each connection a server holds costs it in threads: its I/O model, as the contract checks it. */
public enum ThreadsPerConnection {
    NONE("no thread per connection"),
    ONE_PLATFORM_THREAD("one platform thread per connection"),
    ONE_VIRTUAL_THREAD("one virtual thread per connection, on a few carrier threads");

    public final String words;

    ThreadsPerConnection(String words) {
        this.words = words;
    }

    /** Whether {@code added} platform threads for {@code held} more connections is this model's count. */
    public boolean platformThreadsFit(long added, int held) {
        return this == ONE_PLATFORM_THREAD ? added >= held - held / 10 : added <= few(held);
    }

    /** Whether {@code added} virtual threads for {@code held} more connections is this model's count. */
    public boolean virtualThreadsFit(long added, int held) {
        return this == ONE_VIRTUAL_THREAD ? added >= held - held / 10 : added <= few(held);
    }

    /** What is not one per connection: carriers, pollers, the JVM's own threads started meanwhile. */
    private static long few(int held) {
        return Math.max(held / 10, Runtime.getRuntime().availableProcessors() + 8);
    }
}
