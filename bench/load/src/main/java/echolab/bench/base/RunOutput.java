package echolab.bench.base;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;

/**
 * Where a run's results go, so that nothing is lost or half-written: a run gets a folder or file that did
 * not exist before it (made unique with -2, -3, ... when another run started in the same second), a
 * folder or file the user named is refused when it already holds a run unless they asked to replace it,
 * and every file is written beside its place and renamed into it, so that a crash or a full disk never
 * leaves a truncated file that reads as a result.
 */
public final class RunOutput {

    /** The user named an output that already holds a run: one line for the user. */
    public static final class Taken extends IOException {
        Taken(Path path, String option) {
            super(path + " already holds a run; name another " + option + ", or add --replace to overwrite it");
        }
    }

    /** Writes one file's content to {@code into}. */
    @FunctionalInterface
    public interface Writer {
        void write(Path into) throws IOException;
    }

    private RunOutput() {
    }

    /** A new folder PARENT/STEM, or STEM-2, STEM-3, ... when another run has it; created here, so no other run gets it. */
    public static Path newFolder(Path parent, String stem) throws IOException {
        Files.createDirectories(parent);
        for (int i = 1; ; i++) {
            try {
                return Files.createDirectory(parent.resolve(numbered(stem, i)));
            } catch (FileAlreadyExistsException taken) {
                // another run (or an earlier one) has this name: try the next
            }
        }
    }

    /**
     * The folder the user named ({@code option}), claimed by creating its {@code marker} file (a run's
     * results.json), which no other run may have created: {@link Taken} when one has, unless {@code replace},
     * which empties the folder first.
     */
    public static Path claimFolder(Path dir, String marker, boolean replace, String option) throws IOException {
        Files.createDirectories(dir);
        if (replace && Files.exists(dir.resolve(marker))) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
                    Files.delete(p);
                }
            }
        }
        try {
            Files.createFile(dir.resolve(marker));
        } catch (FileAlreadyExistsException e) {
            throw new Taken(dir, option);
        }
        return dir;
    }

    /** Before any work: {@link Taken} when the file the user named ({@code option}) exists, unless {@code replace}. */
    public static void checkFree(Path file, boolean replace, String option) throws Taken {
        if (!replace && Files.exists(file)) {
            throw new Taken(file, option);
        }
    }

    /**
     * Writes {@code file} through a temporary file beside it, renamed into place once complete. Without
     * {@code replace}, the rename must not overwrite: a file that appeared in the meantime is {@link Taken},
     * and what was written stays in a file named in the message.
     */
    public static void write(Path file, boolean replace, String option, Writer writer) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = partial(parent, file.getFileName().toString());
        try {
            writer.write(partial);
            if (replace) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                try {
                    Files.createLink(file, partial);      // atomic, and fails if the file exists
                } catch (FileAlreadyExistsException e) {
                    Path kept = parent.resolve(file.getFileName() + "." + ProcessHandle.current().pid());
                    Files.move(partial, kept);
                    throw new IOException(file + " appeared while this run was measuring; its results are in " + kept);
                }
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The i-th name a run may take: STEM, then STEM-2, STEM-3, ... */
    private static String numbered(String stem, int i) {
        return i == 1 ? stem : stem + "-" + i;
    }

    /** A hidden file beside the result, readable by all as a result is (a temporary file is not, by default). */
    private static Path partial(Path parent, String name) throws IOException {
        Path partial = Files.createTempFile(parent, "." + name + ".", ".partial");
        try {
            Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's own default stands
        }
        return partial;
    }

    /** Writes a new file PARENT/STEM.EXT, or STEM-2.EXT, ... when another run has it, as {@link #write} does; returns it. */
    public static Path writeNew(Path parent, String stem, String ext, Writer writer) throws IOException {
        Files.createDirectories(parent);
        Path partial = partial(parent, stem);
        try {
            writer.write(partial);
            for (int i = 1; ; i++) {
                Path file = parent.resolve(numbered(stem, i) + ext);
                try {
                    Files.createLink(file, partial);
                    return file;
                } catch (FileAlreadyExistsException taken) {
                    // another run wrote this name: try the next
                }
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
