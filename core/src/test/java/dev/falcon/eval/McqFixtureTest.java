package dev.falcon.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falcon.SharedData;
import dev.falcon.data.McqDataset;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.engine.DType;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stories260K on the MMLU dev fixture against lm-eval 0.4.2's own scores (fixtures/mcq). */
class McqFixtureTest {

    @Test
    void letteredScoresMatchLmEval() throws IOException {
        Path models = SharedData.data().resolve("models/stories260K");
        Path mcq = SharedData.fixtures().resolve("mcq");
        JsonNode expected = new ObjectMapper().readTree(mcq.resolve("mmlu_dev_stories260K.json").toFile());
        McqResult result;
        try (WeightSource source = Checkpoints.open(models.resolve("stories260K.bin"));
             Tokenizer tok = Tokenizers.load(models.resolve("tok512.bin"))) {
            LlamaModel model = ModelLoader.load(source, DType.F32);
            result = new McqEvaluator(new LogLikelihood(model, tok, false, 16))
                    .evaluate(McqDataset.read(mcq.resolve("mmlu_dev.jsonl")), false);
        }
        assertEquals(expected.get("n").asInt(), result.n());
        double worst = 0;
        for (JsonNode q : expected.get("questions")) {
            McqResult.Sample s = result.samples().get(q.get("index").asInt());
            JsonNode lls = q.get("loglikelihoods");
            assertEquals(lls.size(), s.lettered().loglikelihoods().length);
            for (int c = 0; c < lls.size(); c++) {
                worst = Math.max(worst, Math.abs(lls.get(c).asDouble() - s.lettered().loglikelihoods()[c]));
            }
            assertEquals(q.get("pred").asInt(), s.lettered().pred(), "prediction of question " + s.index());
            assertEquals(q.get("gold").asInt(), s.gold());
        }
        System.out.println("max |log-likelihood difference| vs lm-eval: " + worst);
        assertTrue(worst <= 1e-4, "max |difference| " + worst);
        assertEquals(expected.get("acc").asDouble(), result.acc(), 1e-12);
    }
}
