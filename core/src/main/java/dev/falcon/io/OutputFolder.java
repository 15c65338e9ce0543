package dev.falcon.io;

import dev.falcon.InputException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Writes a whole output folder atomically: everything goes into a hidden sibling folder, which is
 * renamed to the target only when complete, so a failure never leaves a half-written output.
 */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Refuses an existing target unless overwrite, and a target that is the input, contains it, or
     * lies inside the input model's folder (which would mix the output into the model), comparing
     * real paths so that symbolic links and ".." cannot hide the overlap.
     */
    public static void check(Path target, Path input, boolean overwrite) {
        Path t = target.toAbsolutePath().normalize();
        if (input != null) {
            Path in = realPath(input);
            Path out = realPath(t);
            if (out.startsWith(in) || in.startsWith(out)) {
                throw new InputException(target, "output folder overlaps the input model " + input
                        + " (it must lie outside the model's folder)");
            }
        }
        if (Files.exists(t) && !overwrite) {
            throw new InputException(target, "already exists (use --overwrite to replace it)");
        }
    }

    /**
     * Refuses a target whose file system has less than {@code bytes} (plus 1% and 16 MiB for headers and
     * configuration) usable, measured at its deepest existing ancestor, where the temporary sibling is made.
     */
    public static void checkSpace(Path target, long bytes) {
        Path existing = deepestExisting(target.toAbsolutePath().normalize());
        if (existing == null) {
            return;
        }
        long needed = bytes + bytes / 100 + (16L << 20);
        try {
            long usable = Files.getFileStore(existing).getUsableSpace();
            if (usable < needed) {
                throw new InputException(target, String.format(Locale.ROOT,
                        "needs %.2f GB free for the output, its file system has %.2f GB", needed / 1e9, usable / 1e9));
            }
        } catch (IOException e) {
            // a file system that cannot say how much room it has is not refused: the write itself will tell
        }
    }

    /** The real path of the deepest existing ancestor, with the rest of path appended. */
    private static Path realPath(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path existing = deepestExisting(p);
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p));
        } catch (IOException e) {
            return p;
        }
    }

    /** The path itself or its nearest ancestor that exists; null when none does. */
    private static Path deepestExisting(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    /** Fills a temporary sibling of target, then renames it into place (replacing an old target). */
    public static void write(Path target, AtomicFiles.IOConsumer<Path> fill) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Files.createDirectories(t.getParent());
        Path tmp = Files.createTempDirectory(t.getParent(), "." + t.getFileName() + ".");
        try {
            // createTempDirectory makes it owner-only; an output model is an ordinary folder
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            fill.accept(tmp);
            replace(t, tmp);
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Renames the complete folder {@code done} (a sibling of target) to target, replacing an old target: a
     * reader finds the old folder or the new one, never a mix.
     */
    public static void replace(Path target, Path done) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path old = null;
        if (Files.exists(t)) {
            old = t.resolveSibling("." + t.getFileName() + ".old-" + System.nanoTime());
            Files.move(t, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(done, t, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
