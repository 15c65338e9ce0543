package dev.falcon.checkpoint;

import dev.falcon.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists (the single file wins when both exist, as in
 * transformers). Tensors are looked up by name across shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileByTensor;

    private SafetensorsCheckpoint(Path dir, Map<String, SafetensorsFile> files,
                                  Map<String, SafetensorsFile> fileByTensor) {
        this.dir = dir;
        this.files = files;
        this.fileByTensor = Collections.unmodifiableMap(fileByTensor);
    }

    public static SafetensorsCheckpoint open(Path dir) {
        Path single = dir.resolve(SINGLE_FILE);
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            file.tensors().forEach(info -> byTensor.put(info.name(), file));
            return new SafetensorsCheckpoint(dir, Map.of(SINGLE_FILE, file), byTensor);
        }
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        throw new InputException(dir, "no " + SINGLE_FILE + " or " + INDEX_FILE + " in this folder");
    }

    private static SafetensorsCheckpoint openSharded(Path dir, Path index) {
        Map<String, String> shardByTensor = weightMap(index);
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        try {
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : shardByTensor.entrySet()) {
                SafetensorsFile file = files.computeIfAbsent(entry.getValue(), shard -> openShard(dir, index, shard));
                if (!file.contains(entry.getKey())) {
                    throw new InputException(file.path(), "tensor '" + entry.getKey() + "' is listed in "
                            + INDEX_FILE + " but missing from this shard");
                }
                byTensor.put(entry.getKey(), file);
            }
            return new SafetensorsCheckpoint(dir, files, byTensor);
        } catch (RuntimeException e) {
            files.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> weightMap(Path index) {
        ObjectNode root = Json.readObject(index);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new InputException(index, "weight_map is missing or not a JSON object");
        }
        Map<String, String> shardByTensor = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new InputException(index, "weight_map entry '" + entry.getKey() + "' is not a file name");
            }
            shardByTensor.put(entry.getKey(), entry.getValue().textValue());
        }
        return shardByTensor;
    }

    /** Shard names come from a downloaded file, so they must not reach outside the folder. */
    private static SafetensorsFile openShard(Path dir, Path index, String shard) {
        boolean plainName = !shard.isEmpty() && !shard.equals(".") && !shard.equals("..")
                && !shard.contains("/") && !shard.contains("\\") && shard.indexOf('\0') < 0;
        if (!plainName) {
            throw new InputException(index, "shard name '" + shard + "' is not a plain file name inside the folder");
        }
        Path file = dir.resolve(shard);
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, "shard listed in " + INDEX_FILE + " not found");
        }
        return SafetensorsFile.open(file);
    }

    /** Tensor names, in index order (sharded) or data order (single file). */
    public Set<String> names() {
        return fileByTensor.keySet();
    }

    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    public ByteBuffer bytes(String name) {
        return fileOf(name).bytes(name);
    }

    public float[] floats(String name) {
        return fileOf(name).floats(name);
    }

    /** The file that holds {@code name}. */
    public SafetensorsFile fileOf(String name) {
        SafetensorsFile file = fileByTensor.get(name);
        if (file == null) {
            throw new InputException(dir, "checkpoint has no tensor named '" + name + "'");
        }
        return file;
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
