package dev.falcon.audit;

import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.demo.world.WorldDomain;
import dev.falcon.demo.world.WorldSettings;
import dev.falcon.demo.world.WorldTokenizerJson;
import dev.falcon.engine.DType;
import dev.falcon.io.Json;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.RandomModel;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.train.LearningRateSchedule;
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
 * A model pair whose audit verdict is known, on a tiny generated world (the demo's, for its word-level
 * tokenizer and its questions): the original is trained on the answered cloze prompts of the forget and the
 * retain questions, so that it knows their answers; the retrained model, the gold standard of unlearning, on
 * the retain ones alone, from the same initialisation and data order. The questions about one entity of
 * each forget domain are asked of neither: their answered prompts are the held-out texts of the membership
 * inference, whose members are the forget questions' answered prompts. Both models are written as Hugging
 * Face folders with the world's tokenizer.
 */
final class AuditWorld {

    static final WorldSettings WORLD = new WorldSettings(5, 3, 1, false, 0);
    static final int STEPS = 400;

    final Path original;
    final Path retrained;
    final Path forgetMcq;
    final Path retainMcq;
    final Path forgetText;
    final Path holdoutText;
    final Path retainText;
    final int forgetQuestions;
    final int retainQuestions;

    private AuditWorld(Path dir, int forgetQuestions, int retainQuestions) {
        this.original = dir.resolve("original");
        this.retrained = dir.resolve("retrained");
        this.forgetMcq = dir.resolve("forget.jsonl");
        this.retainMcq = dir.resolve("retain.jsonl");
        this.forgetText = dir.resolve("forget-text.jsonl");
        this.holdoutText = dir.resolve("holdout-text.jsonl");
        this.retainText = dir.resolve("retain-text.jsonl");
        this.forgetQuestions = forgetQuestions;
        this.retainQuestions = retainQuestions;
    }

    /** Generates the world, trains both models and writes everything under {@code dir}. */
    static AuditWorld create(Path dir) throws IOException {
        Files.createDirectories(dir);
        FactWorld world = FactWorld.generate(WORLD);
        List<McqItem> forget = new ArrayList<>();
        List<McqItem> heldOut = new ArrayList<>();
        for (WorldDomain d : world.domains().stream().filter(WorldDomain::forget).toList()) {
            List<String> entities = world.entities(d.name());
            heldOut.addAll(world.entityQuestions(d.name(), entities.get(entities.size() - 1)));
            entities.subList(0, entities.size() - 1).forEach(e -> forget.addAll(world.entityQuestions(d.name(), e)));
        }
        List<McqItem> retain = world.domains().stream().filter(d -> !d.forget())
                .flatMap(d -> world.questions(d.name()).stream()).toList();
        AuditWorld w = new AuditWorld(dir, forget.size(), retain.size());
        // the texts are built from the questions as the audit reads them back, so that they are its prompts exactly
        List<McqItem> asked = writeMcq(w.forgetMcq, forget);
        List<McqItem> kept = writeMcq(w.retainMcq, retain);
        writeText(w.forgetText, answered(asked));
        writeText(w.holdoutText, answered(writeMcq(dir.resolve("holdout.jsonl"), heldOut)));
        writeText(w.retainText, answered(kept));
        Path tokenizer = dir.resolve("tokenizer.json");
        WorldTokenizerJson.write(world, tokenizer);
        try (Tokenizer tok = Tokenizers.load(tokenizer)) {
            List<String> both = new ArrayList<>(answered(asked));
            both.addAll(answered(kept));
            train(world, both, tok, w.original);
            train(world, answered(kept), tok, w.retrained);
        }
        return w;
    }

    /** Each question's cloze prompt with its right answer, exactly as scored. */
    static List<String> answered(List<McqItem> items) {
        return items.stream().map(i -> {
            McqPrompt p = McqForm.CLOZE.prompt(i);
            return p.context() + p.continuations().get(i.answer());
        }).toList();
    }

    /** {"text": ...} rows, since the prompts span lines. */
    private static void writeText(Path file, List<String> texts) throws IOException {
        Files.write(file, texts.stream().map(t -> Json.MAPPER.createObjectNode().put("text", t).toString()).toList());
    }

    /** Writes the questions as cais/mmlu rows and reads them back. */
    private static List<McqItem> writeMcq(Path file, List<McqItem> items) throws IOException {
        Files.write(file, items.stream().map(i -> Json.MAPPER.createObjectNode().put("question", i.question())
                .put("answer", i.answer()).set("choices", Json.MAPPER.valueToTree(i.choices())).toString()).toList());
        return McqDataset.read(file).items();
    }

    /** Trains a fresh model on {@code text} and writes it with the world's tokenizer. */
    private static void train(FactWorld world, List<String> text, Tokenizer tok, Path folder) throws IOException {
        LlamaConfig config = new LlamaConfig("LlamaForCausalLM", 64, 128, 2, 4, 4, 16, tok.vocabSize(), 1e-5,
                10000.0, null, true, false, 128, "float32", 1, 2, 0);
        LlamaModel model = RandomModel.create(config, 7, DType.F32);
        TrainSettings settings = new TrainSettings(1, STEPS, 3e-3, 8, 0, LearningRateSchedule.Shape.CONSTANT, 128, 7,
                1.0, 0.01);
        new Trainer(settings).train(model, List.copyOf(model.paramNames()), text.stream().map(Document::plain)
                .toList(), tok, (step, total) -> { });
        Files.createDirectories(folder);
        HfCheckpointWriter.write(model, null, Set.of(), DType.F32, Map.of("falcon", "audit test"), folder);
        WorldTokenizerJson.write(world, folder.resolve("tokenizer.json"));
    }
}
