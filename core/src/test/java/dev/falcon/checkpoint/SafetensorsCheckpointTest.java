package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.InputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A two-shard folder whose index is then edited into each kind of broken index. */
class SafetensorsCheckpointTest {

    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;
    private Path index;

    @BeforeEach
    void writeTwoShards() throws IOException {
        new SafetensorsWriter()
                .add("a", DType.F32, new long[] {4}, ByteBuffer.allocate(16))
                .add("b", DType.F32, new long[] {4}, ByteBuffer.allocate(16))
                .writeSharded(dir, "model", 16);
        index = dir.resolve("model.safetensors.index.json");
    }

    private void writeIndex(String weightMap) throws IOException {
        Files.writeString(index, "{\"metadata\":{\"total_size\":32},\"weight_map\":" + weightMap + "}");
    }

    private static InputException assertRejected(Path dir, Path named, String problem) {
        InputException e = assertThrows(InputException.class, () -> SafetensorsCheckpoint.open(dir).close());
        assertTrue(e.getMessage().startsWith(named + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        return e;
    }

    @Test
    void validIndexOpens() throws IOException {
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(dir.resolve(SHARD_1), checkpoint.fileOf("a").path());
            assertEquals(dir.resolve(SHARD_2), checkpoint.fileOf("b").path());
        }
    }

    @Test
    void shardNameWithParentDirectoryIsRejected() throws IOException {
        writeIndex("{\"a\":\"../" + SHARD_1 + "\",\"b\":\"" + SHARD_2 + "\"}");
        assertRejected(dir, index, "shard name '../" + SHARD_1 + "' is not a plain file name");
        writeIndex("{\"a\":\"..\"}");
        assertRejected(dir, index, "shard name '..' is not a plain file name");
    }

    @Test
    void absoluteShardNameIsRejected() throws IOException {
        Path outside = dir.resolve(SHARD_1).toAbsolutePath();
        writeIndex("{\"a\":\"" + outside + "\"}");
        assertRejected(dir, index, "shard name '" + outside + "' is not a plain file name");
    }

    @Test
    void missingShardIsNamed() throws IOException {
        Files.delete(dir.resolve(SHARD_2));
        assertRejected(dir, dir.resolve(SHARD_2), "shard listed in model.safetensors.index.json not found");
    }

    @Test
    void tensorAbsentFromItsShardIsNamed() throws IOException {
        writeIndex("{\"a\":\"" + SHARD_1 + "\",\"b\":\"" + SHARD_1 + "\"}");
        assertRejected(dir, dir.resolve(SHARD_1), "tensor 'b' is listed in model.safetensors.index.json but missing");
    }

    @Test
    void brokenIndexFiles() throws IOException {
        Files.writeString(index, "{\"weight_map\": [");
        assertRejected(dir, index, "invalid JSON");
        Files.writeString(index, "{\"metadata\":{}}");
        assertRejected(dir, index, "weight_map is missing or not a JSON object");
        writeIndex("{\"a\":7}");
        assertRejected(dir, index, "weight_map entry 'a' is not a file name");
    }

    @Test
    void folderWithoutWeights() throws IOException {
        Files.delete(index);
        assertRejected(dir, dir, "no model.safetensors or model.safetensors.index.json");
    }

    @Test
    void unknownTensorNamesTheFolder() {
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            InputException e = assertThrows(InputException.class, () -> checkpoint.bytes("c"));
            assertEquals(dir + ": checkpoint has no tensor named 'c'", e.getMessage());
        }
    }
}
