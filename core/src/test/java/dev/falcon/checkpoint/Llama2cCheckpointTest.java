package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.InputException;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * llama2.c checkpoints, good and bad. The good one is the fuzz seed written by make_llama2c_seeds.py with Python's
 * struct module: header (8, 16, 1, 2, 1, 6, 4), then float i / 100 for the i-th stored float.
 */
class Llama2cCheckpointTest {

    @TempDir
    Path dir;

    private byte[] seed() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "Llama2cFuzzTestInputs/openArbitraryCheckpoint/shared_classifier")) {
            return in.readAllBytes();
        }
    }

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("model.bin"), content);
    }

    private static byte[] header(int... fields) {
        ByteBuffer b = ByteBuffer.allocate(fields.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(fields).forEach(b::putInt);
        return b.array();
    }

    private void assertRejected(byte[] content, String problem) throws IOException {
        Path f = file(content);
        InputException e = assertThrows(InputException.class, () -> Llama2cCheckpoint.open(f).close());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void readsTheHeaderAndTheTensorsInLlama2cOrder() throws IOException {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(file(seed()))) {
            LlamaConfig config = c.config();
            assertEquals(8, config.hiddenSize());
            assertEquals(16, config.intermediateSize());
            assertEquals(1, config.numKvHeads());
            assertEquals(6, config.vocabSize());
            assertTrue(config.tieWordEmbeddings(), "a positive vocab_size means a shared classifier");
            // embedding 6 x 8 = 48 floats, then the attention norm (8): q_proj starts at float 56
            ByteBuffer q = c.bytes("model.layers.0.self_attn.q_proj.weight").order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(8 * 8 * 4, q.remaining());
            assertEquals(0.56f, q.getFloat(0));
            assertEquals(0.57f, q.getFloat(4));
        }
    }

    @Test
    void badFilesAreRefusedWithTheReason() throws IOException {
        byte[] good = seed();
        assertRejected(Arrays.copyOf(good, 20), "too short for a llama2.c header (20 bytes)");
        assertRejected(Arrays.copyOf(good, good.length - 4), "size " + (good.length - 4)
                + " bytes does not match the header, which implies " + good.length + " bytes");
        assertRejected(header(8, 16, 1, 0, 1, 6, 4), "implausible header");
        assertRejected(header(8, 16, 1, 3, 1, 6, 4), "inconsistent header: dim 8, heads 3, kv heads 1");
    }

    /** A header claiming half a million layers in a few bytes is refused at once, not after building their shapes. */
    @Test
    void aHeaderWithMoreLayersThanTheFileCanHoldIsRefusedAtOnce() throws IOException {
        byte[] content = Arrays.copyOf(header(8, 241, 524339, 2, 1, 6, 4), 37);
        assertRejected(content, "size 37 bytes is too small for 524339 layers of dim 8");
    }

    /** The same for a Hugging Face folder whose config.json claims far more layers than its weights hold. */
    @Test
    void aConfigWithMoreLayersThanTheWeightsIsRefusedByTheLoader() throws IOException {
        Path hf = Files.createDirectories(dir.resolve("hf"));
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(file(seed()))) {
            LlamaModel model = ModelLoader.load(c, DType.F32);
            HfCheckpointWriter.write(model, null, Set.of(), DType.F32, Map.of(), hf);
        }
        Path config = hf.resolve(HfConfig.CONFIG_FILE);
        Files.writeString(config, Files.readString(config).replace("\"num_hidden_layers\" : 1",
                "\"num_hidden_layers\" : 2000000000"));
        try (HfCheckpoint source = HfCheckpoint.open(hf)) {
            assertEquals(2_000_000_000, source.config().numLayers());
            // without the check the loader would list two billion layers' shapes: minutes, then out of memory
            InputException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(InputException.class, () -> ModelLoader.load(source, DType.F32)));
            assertTrue(e.getMessage().contains("missing tensor model.layers.1999999999.input_layernorm.weight "
                    + "(the config has 2000000000 layers)"), e.getMessage());
        }
    }

    /** Weights are read when their block is first used, and checked then. */
    @Test
    void anInfiniteWeightIsRefusedNamingTheFileAndTheTensor() throws IOException {
        byte[] content = seed();
        // after the 7-int header and 56 floats (embedding 6 x 8, attention norm 8): q_proj's first float
        ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).putFloat(7 * 4 + 56 * 4, Float.POSITIVE_INFINITY);
        Path f = file(content);
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(f)) {
            LlamaModel model = ModelLoader.load(c, DType.F32);
            InputException e = assertThrows(InputException.class,
                    () -> model.hiddenStates(Batch.single(new int[] {1, 2})));
            assertEquals(f + ": tensor model.layers.0.self_attn.q_proj.weight holds NaN or infinite values",
                    e.getMessage());
        }
    }
}
