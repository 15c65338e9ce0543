package dev.falcon.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.data.Document;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.demo.world.WorldTokenizerJson;
import dev.falcon.eval.Accuracy;
import dev.falcon.io.AtomicFiles;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpoint;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.io.Sha256;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.model.RandomModel;
import dev.falcon.train.TrainLog;
import dev.falcon.train.TrainSettings;
import dev.falcon.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model trained from scratch on a world's text, cached as a Hugging Face folder so that later
 * runs skip training. Training runs in rounds of {@link DemoSettings#roundSteps()} steps and stops
 * as soon as every domain's MCQ accuracy reaches the target.
 *
 * @param model        the trained model
 * @param folder       its cache folder
 * @param cached       whether it was read from the cache rather than trained now
 * @param trainSeconds how long training took when it was trained (also for a cached model)
 * @param losses       the training loss of every step
 */
public record BaseModel(LlamaModel model, Path folder, boolean cached, double trainSeconds, List<Double> losses) {

    /** Training record stored next to the weights. */
    public static final String TRAINING_FILE = "demo-training.json";

    /**
     * $XDG_CACHE_HOME/falcon, or ~/.cache/falcon when it is unset or empty (the XDG base directory
     * rule).
     */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("falcon");
    }

    /**
     * demo-WORLDKEY-HASH, the hash covering the model config and every training knob, so that a change
     * to either trains a new model instead of reusing an old one.
     */
    public static String folderName(FactWorld world, LlamaConfig config, DemoSettings s) {
        String recipe = config + "|" + s.train() + "|" + s.targetAccuracy() + "|" + s.roundSteps() + "|"
                + s.maxRounds() + "|" + s.cloze();
        return "demo-" + world.key() + "-" + Sha256.of(recipe).substring(0, 12);
    }

    /** The cached model under {@code cacheRoot} when there is one, else a newly trained and cached one. */
    public static BaseModel obtain(FactWorld world, Tokenizer tok, DemoSettings s, Path cacheRoot,
                                   DemoListener listener) throws IOException {
        LlamaConfig config = s.modelWithVocab(tok.vocabSize());
        Path folder = cacheRoot.resolve(folderName(world, config, s));
        if (Files.isRegularFile(folder.resolve(TRAINING_FILE))) {
            return load(folder);
        }
        return train(world, tok, s, config, folder, listener);
    }

    private static BaseModel load(Path folder) throws IOException {
        ObjectNode record = Json.readObject(folder.resolve(TRAINING_FILE));
        List<Double> losses = new ArrayList<>();
        record.get("losses").forEach(n -> losses.add(n.asDouble()));
        try (HfCheckpoint source = HfCheckpoint.open(folder)) {
            LlamaModel model = ModelLoader.load(source, DType.F32);
            return new BaseModel(model, folder, true, record.get("train_seconds").asDouble(), losses);
        }
    }

    private static BaseModel train(FactWorld world, Tokenizer tok, DemoSettings s, LlamaConfig config, Path folder,
                                   DemoListener listener) throws IOException {
        long start = System.nanoTime();
        LlamaModel model = RandomModel.create(config, s.train().seed(), DType.F32);
        List<Document> docs = world.trainingText().stream().map(Document::plain).toList();
        List<String> params = List.copyOf(model.paramNames());
        List<Double> losses = new ArrayList<>();
        ArrayNode rounds = Json.MAPPER.createArrayNode();
        listener.phase("train", s.roundSteps() * s.maxRounds());
        for (int round = 0; round < s.maxRounds(); round++) {
            TrainLog log = new Trainer(roundSettings(s, round)).train(model, params, docs, tok,
                    (step, total) -> listener.step(String.format(" loss %.3f", step.loss())));
            log.steps().forEach(step -> losses.add(step.loss()));
            if (log.stoppedEarly() != null) {
                throw new IllegalStateException("training the demo model stopped: " + log.stoppedEarly());
            }
            Map<String, Accuracy> acc = DomainScores.accuracies(model, tok, world, s.form());
            ObjectNode accuracyNode = rounds.addObject().put("steps", losses.size()).putObject("accuracy");
            acc.forEach((domain, a) -> accuracyNode.put(domain, a.value()));
            listener.note(String.format("after %d steps: accuracy %s", losses.size(), accuracyNode));
            if (DomainScores.lowest(acc) >= s.targetAccuracy()) {
                break;
            }
            if (round == s.maxRounds() - 1) {
                throw new IllegalStateException(String.format("the demo model reached only %s after %d steps; the "
                        + "target is %.0f%% on every domain", accuracyNode, losses.size(), 100 * s.targetAccuracy()));
            }
        }
        listener.done();
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode record = Json.MAPPER.createObjectNode().put("train_seconds", seconds);
        record.set("rounds", rounds);
        record.set("losses", Json.MAPPER.valueToTree(losses));
        Files.createDirectories(folder.getParent());
        OutputFolder.write(folder, dir -> {
            writeModel(model, world, dir);
            AtomicFiles.writeString(dir.resolve(TRAINING_FILE), Json.pretty(record));
        });
        return new BaseModel(model, folder, false, seconds, losses);
    }

    /** {@code model} as a Hugging Face folder with the world's tokenizer.json, which every falcon command reads. */
    static void writeModel(LlamaModel model, FactWorld world, Path dir) throws IOException {
        HfCheckpointWriter.write(model, null, Set.of(), DType.F32, Map.of("falcon", "demo"), dir);
        WorldTokenizerJson.write(world, dir.resolve("tokenizer.json"));
    }

    /** Each round continues the last with a fresh data order; only the first warms up. */
    private static TrainSettings roundSettings(DemoSettings s, int round) {
        TrainSettings t = s.train();
        return t.toBuilder().epochs(1).maxSteps(s.roundSteps()).warmupFraction(round == 0 ? t.warmupFraction() : 0)
                .seed(t.seed() + round).build();
    }
}
