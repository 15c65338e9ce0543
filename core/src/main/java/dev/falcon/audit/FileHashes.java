package dev.falcon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.Json;
import dev.falcon.io.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file an audit read, so that a reviewer can tell that the verdict is about these
 * models and these questions: {"ROLE": {"path", "sha256"}} for a file, {"ROLE": {"path", "files":
 * {"RELATIVE/PATH": sha256, ...}}} for a folder (every regular file in it, hidden ones aside, sorted).
 */
public final class FileHashes {

    private FileHashes() {
    }

    /** {@code files} by role, in the map's order. */
    public static ObjectNode of(Map<String, Path> files) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        files.forEach((role, path) -> json.set(role, entry(path)));
        return json;
    }

    private static ObjectNode entry(Path path) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("path", path.toString());
        if (!Files.isDirectory(path)) {
            return json.put("sha256", Sha256.of(path));
        }
        ObjectNode hashes = json.putObject("files");
        for (Path file : regularFiles(path)) {
            hashes.put(path.relativize(file).toString().replace('\\', '/'), Sha256.of(file));
        }
        return json;
    }

    private static List<Path> regularFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> notHidden(dir.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot list: " + e.getMessage());
        }
    }

    /** Neither the file nor a folder on its way is hidden (.cache, .git). */
    private static boolean notHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }
}
