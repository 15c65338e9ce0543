package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import dev.falcon.data.TextCorpus;
import dev.falcon.engine.Engine;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.engine.DType;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.train.CausalLmLoss;
import dev.falcon.train.LmBatch;
import dev.falcon.train.LmBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train on stories260K: a Hugging Face folder whose loss on the training text went down. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void trainingWritesAModelThatFitsTheDataBetter() throws IOException {
        Path bin = SharedData.data().resolve("models/stories260K/stories260K.bin");
        Path tok = SharedData.data().resolve("models/stories260K/tok512.bin");
        Path text = tmp.resolve("stories.txt");
        Files.writeString(text, "The cat sat on the red mat and purred.\nA little dog ran to the park with Tom.\n"
                + "Lily found a shiny blue stone by the river.\n");
        Path out = tmp.resolve("trained");
        assertEquals(0, Main.run("train", "--model", bin.toString(), "--tokenizer", tok.toString(), "--data",
                text.toString(), "--out", out.toString(), "--max-steps", "12", "--lr", "3e-3", "--batch-size", "3",
                "--warmup", "0", "--schedule", "constant"));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        JsonNode log = new ObjectMapper().readTree(out.resolve("train-log.json").toFile());
        assertEquals(12, log.get("steps").size());
        assertTrue(log.get("stopped_early").isNull());
        double before = loss(bin, tok, text);
        double after = loss(out, tok, text);
        System.out.printf("loss on the training text: %.4f -> %.4f (log: %.4f -> %.4f)%n", before, after,
                log.get("steps").get(0).get("loss").asDouble(), log.get("steps").get(11).get("loss").asDouble());
        assertEquals(before, log.get("steps").get(0).get("loss").asDouble(), 1e-4,
                "step 0 is measured on the unchanged model over the same (single) batch");
        assertTrue(after < 0.8 * before, before + " -> " + after);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path bin = SharedData.data().resolve("models/stories260K/stories260K.bin");
        Path tok = SharedData.data().resolve("models/stories260K/tok512.bin");
        Path text = tmp.resolve("a.txt");
        Files.writeString(text, "One line.\n");
        Path out = tmp.resolve("never");
        String[] common = {"train", "--model", bin.toString(), "--tokenizer", tok.toString(), "--out", out.toString()};
        assertEquals(2, run(common, "--data", text.toString(), "--epochs", "2", "--max-steps", "3"));
        assertEquals(2, run(common, "--data", tmp.resolve("missing.txt").toString()));
        assertEquals(2, run(common, "--data", text.toString(), "--schedule", "linear"));
        assertEquals(2, run(common, "--data", text.toString(), "--lr", "0"));
        assertFalse(Files.exists(out));
    }

    private static int run(String[] common, String... more) {
        String[] args = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        return Main.run(args);
    }

    private static double loss(Path model, Path tokenizer, Path text) {
        try (WeightSource src = Checkpoints.open(model); Tokenizer tok = Tokenizers.load(tokenizer);
             Engine.Guard g = Engine.noGrad()) {
            LlamaModel m = ModelLoader.load(src, DType.F32);
            LmBatch b = LmBatches.consecutive(TextCorpus.read(text), tok, 8, 256).get(0);
            return CausalLmLoss.loss(m, b).item();
        }
    }
}
