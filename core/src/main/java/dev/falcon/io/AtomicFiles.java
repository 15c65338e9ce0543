package dev.falcon.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * half-written file: the content goes to a temporary file in the target's folder (same file system,
 * so the final rename is atomic), which is then renamed over the target.
 */
public final class AtomicFiles {

    /** Writes a file's content to the path it is given; may throw IOException. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces {@code target} with whatever {@code writeTemp} writes to the (already
     * created, empty) temporary path it receives. On any failure the temporary file is deleted and
     * the target is left untouched.
     */
    public static void write(Path target, IOConsumer<Path> writeTemp) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = createTemp(absolute);
        try {
            writeTemp.accept(tmp);
            flushToDisk(tmp);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Without fsync before the rename, a crash could leave the new name pointing at missing data. */
    private static void flushToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Creates the temporary file with CREATE_NEW rather than Files.createTempFile, so it gets the
     * process's default permissions (createTempFile would make the final file owner-only).
     */
    private static Path createTemp(Path target) throws IOException {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        while (true) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException collision) {
                // another writer picked the same random name; draw again
            }
        }
    }
}
