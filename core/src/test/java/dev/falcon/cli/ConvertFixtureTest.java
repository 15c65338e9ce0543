package dev.falcon.cli;

import dev.falcon.SharedData;
import dev.falcon.engine.Engine;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpoint;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** llama2.c checkpoint -> Hugging Face folder -> the same logits. */
class ConvertFixtureTest {

    @TempDir
    Path tmp;

    @Test
    void convertedFolderGivesTheSameLogits() {
        Path bin = SharedData.data().resolve("models/stories260K/stories260K.bin");
        Path tok = SharedData.data().resolve("models/stories260K/tok512.bin");
        Path out = tmp.resolve("hf");
        assertEquals(0, Main.run("convert", "--model", bin.toString(), "--tokenizer", tok.toString(),
                "--out", out.toString()));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        int[] ids = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315};
        float[] original = logits(bin, ids);
        float[] converted = logits(out, ids);
        double worst = 0;
        for (int i = 0; i < original.length; i++) {
            worst = Math.max(worst, Math.abs(original[i] - converted[i]));
        }
        System.out.printf("converted folder: max |logit difference| %.3g%n", worst);
        assertTrue(worst <= 1e-6, "max |difference| " + worst);
        assertEquals(2, Main.run("convert", "--model", bin.toString(), "--tokenizer", tok.toString(),
                "--out", out.toString()), "an existing output folder is refused");
    }

    private static float[] logits(Path model, int[] ids) {
        try (WeightSource src = Checkpoints.open(model); Engine.Guard g = Engine.noGrad()) {
            if (model.toString().endsWith("hf")) {
                assertInstanceOf(HfCheckpoint.class, src);
            }
            LlamaModel m = ModelLoader.load(src, DType.F32);
            return m.forward(Batch.single(ids), null).toFloats();
        }
    }
}
