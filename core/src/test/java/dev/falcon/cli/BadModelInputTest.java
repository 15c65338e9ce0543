package dev.falcon.cli;

import dev.falcon.engine.Tensor;
import dev.falcon.eval.TinyModels;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.tokenizer.Llama2cTokenizerTest;
import dev.falcon.model.LlamaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny Hugging Face model folder (with a llama2.c tokenizer.bin) that commands must refuse. */
class BadModelInputTest {

    private static final String BROKEN = LlamaModel.layerParam(0, "mlp.down_proj.weight");

    @TempDir
    Path tmp;

    /** A random 2-layer model; with {@code nan}, one element of {@link #BROKEN} is NaN. */
    private Path model(String name, boolean nan) throws IOException {
        LlamaModel model = TinyModels.random(64, 3);
        if (nan) {
            Tensor w = model.param(BROKEN).clone();
            w.select(0, 0).select(0, 0).copy_(Tensor.full(DType.F32, Double.NaN));
            model.setParam(BROKEN, w);
        }
        Path dir = Files.createDirectories(tmp.resolve(name));
        HfCheckpointWriter.write(model, null, Set.of(), DType.F32, Map.of(), dir);
        Llama2cTokenizerTest.writeBin(dir.resolve("tokenizer.bin"), 6, Llama2cTokenizerTest.baseVocab());
        return dir;
    }

    private Path text(String name) throws IOException {
        return Files.writeString(tmp.resolve(name), "Once upon a time there was a tiny model.\nIt knew a fact.\n");
    }

    /** Main.run's exit code and what it printed to stderr. */
    private static Map.Entry<Integer, String> run(String... args) {
        return UnlearnFixture.runCapturingErr(List.of(args));
    }

    private static void assertRefused(Map.Entry<Integer, String> result, String message) {
        assertEquals(2, result.getKey(), result.getValue());
        assertTrue(result.getValue().contains(message), result.getValue());
    }

    @Test
    void aNonFiniteWeightIsNamedWithItsFileWhenEvalOrUnlearnLoadsIt() throws IOException {
        Path dir = model("nan", true);
        String message = dir.resolve("model.safetensors") + ": tensor " + BROKEN + " holds NaN or infinite values";
        Path mcq = Files.writeString(tmp.resolve("q.jsonl"),
                "{\"question\": \"1 + 1 = ?\", \"choices\": [\"1\", \"2\"], \"answer\": 1}\n");
        assertRefused(run("eval", "--model", dir.toString(), "--mcq", mcq.toString(),
                "--out", tmp.resolve("results.json").toString()), message);
        assertRefused(run("unlearn", "--model", dir.toString(), "--forget", text("forget.txt").toString(),
                "--retain", text("retain.txt").toString(), "--out", tmp.resolve("out").toString(),
                "--layer", "1"), message);
        assertTrue(Files.notExists(tmp.resolve("out")));
        assertTrue(Files.notExists(tmp.resolve("results.json")));
    }

    @Test
    void anOutputFolderInsideTheInputModelIsRefused() throws IOException {
        Path dir = model("good", false);
        String forget = text("forget.txt").toString();
        String retain = text("retain.txt").toString();
        for (Path out : new Path[] {dir.resolve("unlearned"), tmp.resolve("other/../good/sub/deeper"), dir}) {
            assertRefused(run("unlearn", "--model", dir.toString(), "--forget", forget, "--retain", retain,
                    "--out", out.toString(), "--layer", "1"), "overlaps the input model");
            assertRefused(run("convert", "--model", dir.toString(), "--out", out.toString()),
                    "overlaps the input model");
            assertRefused(run("train", "--model", dir.toString(), "--data", forget, "--out", out.toString()),
                    "overlaps the input model");
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        assertRefused(run("convert", "--model", dir.toString(), "--out", link.resolve("sub").toString()),
                "overlaps the input model");
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("config.json", "model.safetensors", "tokenizer.bin"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "nothing written inside");
        }
    }
}
