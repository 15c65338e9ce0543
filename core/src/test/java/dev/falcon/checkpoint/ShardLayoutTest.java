package dev.falcon.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.InputException;
import dev.falcon.engine.DType;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edited checkpoint keeps the input's shard files and index, as transformers wrote them; the room it needs is known
 * before it is written.
 */
class ShardLayoutTest {

    private static final String INDEX = "model.safetensors.index.json";
    private static final String EDITED = "model.layers.1.mlp.down_proj.weight";

    @TempDir
    Path dir;

    /** A tiny model written, then re-sharded into files of at most 4 KiB of tensors. */
    private Path shardedInput() throws IOException {
        LlamaConfig c = new LlamaConfig("LlamaForCausalLM", 16, 32, 2, 2, 1, 8, 64, 1e-5,
                10000.0, null, false, false, 32, "float32", 1, 2, 0);
        Path single = Files.createDirectories(dir.resolve("single"));
        HfCheckpointWriter.write(RandomModel.create(c, 7, DType.F32), null, Set.of(), DType.F32, Map.of(), single);
        Path sharded = Files.createDirectories(dir.resolve("input"));
        try (SafetensorsFile file = SafetensorsFile.open(single.resolve("model.safetensors"))) {
            SafetensorsWriter writer = new SafetensorsWriter();
            file.tensors().forEach(t -> writer.add(t.name(), t.dtype(), t.shape(), file.bytes(t.name())));
            writer.writeSharded(sharded, "model", 4096);
        }
        Files.copy(single.resolve(HfConfig.CONFIG_FILE), sharded.resolve(HfConfig.CONFIG_FILE));
        return sharded;
    }

    @Test
    void editedCheckpointKeepsTheInputsShardsAndIndex() throws IOException {
        Path input = shardedInput();
        JsonNode inputMap = Json.readObject(input.resolve(INDEX)).get("weight_map");
        assertTrue(Set.copyOf(inputMap.findValuesAsText(EDITED)).size() == 1 && Files.list(input)
                .filter(f -> f.toString().endsWith(".safetensors")).count() > 2, "the input has several shards");
        Path out = Files.createDirectories(dir.resolve("out"));
        try (WeightSource source = Checkpoints.open(input)) {
            LlamaModel model = ModelLoader.load(source, DType.F32);
            model.setParam(EDITED, model.param(EDITED).mul(2.0));
            HfCheckpointWriter.write(model, source, Set.of(EDITED), DType.F32, Map.of(), out);
        }
        assertEquals(inputMap, Json.readObject(out.resolve(INDEX)).get("weight_map"));
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        try (WeightSource in = Checkpoints.open(input); WeightSource edited = Checkpoints.open(out)) {
            for (String name : in.names()) {
                assertEquals(in.fileOf(name).getFileName(), edited.fileOf(name).getFileName(), name);
                if (name.equals(EDITED)) {
                    assertNotEquals(in.bytes(name), edited.bytes(name), name);
                } else {
                    assertEquals(in.bytes(name), edited.bytes(name), name);
                }
            }
        }
    }

    /**
     * The room a command checks for before unlearning is what the writer then writes when the dtype is the input's
     * (as unlearn and convert write): copied and edited tensors at the input's size; without a source, everything in
     * the dtype asked for. In another dtype the edited tensor is counted at the input's size, an upper bound.
     */
    @Test
    void tensorBytesIsWhatTheWriterWrites() throws IOException {
        Path input = shardedInput();
        Path edited = Files.createDirectories(dir.resolve("edited"));
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        try (WeightSource source = Checkpoints.open(input)) {
            LlamaModel model = ModelLoader.load(source, DType.F32);
            HfCheckpointWriter.write(model, source, Set.of(EDITED), DType.BF16, Map.of(), edited);
            HfCheckpointWriter.write(model, null, Set.of(), DType.BF16, Map.of(), fresh);
            assertEquals(writtenTensorBytes(input), HfCheckpointWriter.tensorBytes(source.config(), source, DType.F32));
            long editedSaving = source.info(EDITED).byteLength() / 2;
            assertEquals(writtenTensorBytes(edited) + editedSaving,
                    HfCheckpointWriter.tensorBytes(source.config(), source, DType.BF16));
            assertEquals(writtenTensorBytes(fresh), HfCheckpointWriter.tensorBytes(source.config(), null, DType.BF16));
        }
        assertTrue(writtenTensorBytes(fresh) < writtenTensorBytes(edited), "BF16 halves what is not copied");
    }

    @Test
    void anOutputLargerThanItsFileSystemsRoomIsRefused() throws IOException {
        Path out = dir.resolve("new").resolve("out");
        long usable = Files.getFileStore(dir).getUsableSpace();
        InputException e = assertThrows(InputException.class, () -> OutputFolder.checkSpace(out, usable + (1L << 30)));
        assertTrue(e.getMessage().startsWith(out + ": needs "), e.getMessage());
        OutputFolder.checkSpace(out, 1);
        assertFalse(Files.exists(out.getParent()), "checking makes no folder");
    }

    private static long writtenTensorBytes(Path folder) throws IOException {
        long total = 0;
        try (WeightSource source = Checkpoints.open(folder)) {
            for (String name : source.names()) {
                total += source.info(name).byteLength();
            }
        }
        return total;
    }
}
