package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.tokenizer.Llama2cTokenizer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes as a llama2.c checkpoint and as a llama2.c tokenizer.bin: reading may only fail with an
 * InputException naming the file, and what is accepted must work. Seeds (written by make_llama2c_seeds.py)
 * are under src/test/resources/dev/falcon/checkpoint/Llama2cFuzzTestInputs; to fuzz one target:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='Llama2cFuzzTest#openArbitraryCheckpoint'}.
 */
class Llama2cFuzzTest {

    /** An accepted checkpoint serves every tensor's exact byte range, loads, and runs a forward pass. */
    @FuzzTest(maxDuration = "60s")
    void openArbitraryCheckpoint(byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz", ".bin");
        try {
            Files.write(file, content);
            try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(file); Engine.Guard g = Engine.noGrad()) {
                for (String name : checkpoint.names()) {
                    TensorInfo info = checkpoint.info(name);
                    assertEquals(info.end() - info.begin(), checkpoint.bytes(name).remaining(), name);
                }
                LlamaModel model = ModelLoader.load(checkpoint, DType.F32);
                long[] shape = model.forward(Batch.single(new int[] {0, 0}), null).shape();
                assertArrayEquals(new long[] {1, 2, checkpoint.config().vocabSize()}, shape);
            }
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    /** An accepted tokenizer encodes any text to ids inside its vocabulary and decodes them again. */
    @FuzzTest(maxDuration = "60s")
    void loadArbitraryTokenizer(byte[] content) throws IOException {
        Path file = Files.createTempFile("fuzz", ".bin");
        try {
            Files.write(file, content);
            Llama2cTokenizer tokenizer = Llama2cTokenizer.load(file);
            int[] ids = tokenizer.encode("Once upon a time, \u00e9t\u00e9 \uD83D\uDE00 ab\n", true, true);
            for (int id : ids) {
                assertTrue(id >= 0 && id < tokenizer.vocabSize(), "id " + id);
            }
            tokenizer.decode(ids);
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }
}
