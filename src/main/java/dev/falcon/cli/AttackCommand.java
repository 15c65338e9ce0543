package dev.falcon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.attack.AttackResult;
import dev.falcon.attack.JailbreakPrompts;
import dev.falcon.attack.LogitLens;
import dev.falcon.attack.RelearningAttack;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.TextCorpus;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.io.AtomicFiles;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.io.Json;
import dev.falcon.io.Progress;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Knowledge-recovery attacks on an unlearned model, each also run on the original model so that the
 * recovered accuracy can be read against what there was to recover.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Try to recover unlearned knowledge: relearning, logit lens or jailbreak prompts, on the "
                + "unlearned model and on the original.")
final class AttackCommand implements Runnable {

    private static final List<String> KINDS = List.of("relearn", "logit-lens", "jailbreak");

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--original", required = true, paramLabel = "PATH",
            description = "The model before unlearning (same forms as --model; read with the same tokenizer).")
    Path original;

    @Option(names = "--kind", required = true, description = "relearn, logit-lens or jailbreak.")
    String kind;

    @Option(names = "--mcq", required = true, paramLabel = "FILE",
            description = "The forget questions: .jsonl/.json (cais/wmdp layout), an MMLU .csv or a folder of .csv.")
    Path mcq;

    @Option(names = "--form", defaultValue = "lettered",
            description = "Multiple-choice form: lettered (lm-eval's MMLU/WMDP default) or cloze (default lettered).")
    String form;

    @Option(names = "--forget-data", paramLabel = "FILE",
            description = "relearn: forget documents (.txt, .jsonl, .json); the first --documents are trained on.")
    Path forgetData;

    @Option(names = "--documents", defaultValue = "10", description = "relearn: documents trained on (default 10).")
    int documents;

    @Option(names = "--steps", defaultValue = "50", description = "relearn: optimizer steps (default 50).")
    int steps;

    @Option(names = "--eval-every", defaultValue = "10",
            description = "relearn: steps between evaluations (default 10).")
    int evalEvery;

    @Option(names = "--lr", defaultValue = "1e-5", description = "relearn: constant learning rate (default 1e-5).")
    double lr;

    @Option(names = "--train-batch-size", defaultValue = "4", description = "relearn: documents per step (default 4).")
    int trainBatchSize;

    @Option(names = "--max-length", defaultValue = "512",
            description = "relearn: tokens per document, BOS included (default 512).")
    int maxLength;

    @Option(names = "--seed", defaultValue = "42", description = "relearn: seed of the document order (default 42).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per scoring forward pass (default 8).")
    int batchSize;

    @Option(names = "--add-bos", description = "Prepend BOS to every scored text (lm-eval's add_bos_token).")
    boolean addBos;

    @Option(names = "--no-chat-template",
            description = "Score plain prompts even when the tokenizer_config.json has a chat_template.")
    boolean noChatTemplate;

    /** The chat template both models' questions go through, found once in {@link #run}. */
    private Optional<ChatTemplate> chat = Optional.empty();

    @Option(names = "--out", paramLabel = "results.json", description = "Where to write the results as JSON.")
    Path out;

    @Override
    public void run() {
        RelearningAttack relearning = checkOptions();
        McqDataset questions = McqDataset.read(mcq);
        questions.problems().forEach(p -> System.err.println("warning: skipped " + p));
        List<Document> forget = relearning == null ? List.of()
                : relearning.trainingDocuments(TextCorpus.read(forgetData));
        Map<String, AttackResult> results = new LinkedHashMap<>();
        chat = modelOptions.chatTemplate(noChatTemplate);
        try (Tokenizer tok = modelOptions.openTokenizer()) {
            results.put("model", attack(modelOptions.model, tok, relearning, questions, forget));
            results.put("original", attack(original, tok, relearning, questions, forget));
        }
        printTable(results);
        if (out != null) {
            write(results);
        }
    }

    /** Every option is checked before a model is loaded; returns the relearning attack for --kind relearn. */
    private RelearningAttack checkOptions() {
        if (!KINDS.contains(kind)) {
            throw new InputException("--kind must be one of " + String.join(", ", KINDS) + ", got '" + kind + "'");
        }
        mcqForm();
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!Files.exists(original)) {
            throw new InputException(original, "no such file or folder (--original)");
        }
        if (out != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new InputException(out, "the output folder does not exist");
        }
        if (!kind.equals("relearn")) {
            if (forgetData != null) {
                throw new InputException("--forget-data is only used by --kind relearn");
            }
            return null;
        }
        if (forgetData == null) {
            throw new InputException("--kind relearn needs --forget-data");
        }
        TrainSettings settings = TrainSettings.builder().maxSteps(steps).lr(lr).batchSize(trainBatchSize)
                .warmupFraction(0).schedule(LearningRateSchedule.Shape.CONSTANT).maxLength(maxLength).seed(seed)
                .weightDecay(0).build();
        return new RelearningAttack(settings, documents, evalEvery);
    }

    private McqForm mcqForm() {
        for (McqForm f : McqForm.values()) {
            if (f.id().equals(form)) {
                return f;
            }
        }
        throw new InputException("--form must be lettered or cloze, got '" + form + "'");
    }

    private AttackResult attack(Path path, Tokenizer tok, RelearningAttack relearning, McqDataset questions,
                                List<Document> forget) {
        try (WeightSource source = Checkpoints.open(path)) {
            LlamaModel model = ModelLoader.load(source, modelOptions.computeDtype());
            LogLikelihood scorer = new LogLikelihood(model, tok, addBos, batchSize).withChatTemplate(chat);
            String task = kind + " on " + path.getFileName();
            return switch (kind) {
                case "relearn" -> {
                    try (ProgressBar bar = Progress.bar(task, steps)) {
                        yield relearning.run(scorer, mcqForm(), forget, questions, (step, total) -> bar.step());
                    }
                }
                case "logit-lens" -> {
                    try (ProgressBar bar = Progress.bar(task, model.config().numLayers())) {
                        yield new LogitLens(scorer, mcqForm()).run(questions, layer -> bar.step());
                    }
                }
                default -> new JailbreakPrompts(scorer, mcqForm()).run(questions);
            };
        }
    }

    /** One row per measurement, one column per model. */
    private static void printTable(Map<String, AttackResult> results) {
        Map<String, Double> unlearned = results.get("model").summary();
        Map<String, Double> before = results.get("original").summary();
        int width = "measure".length();
        for (String key : unlearned.keySet()) {
            width = Math.max(width, key.length());
        }
        String format = "%-" + width + "s  %-8s  %s%n";
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.println("task " + results.get("model").task() + ": multiple-choice accuracy");
        stdout.printf(format, "measure", "model", "original");
        unlearned.forEach((key, value) -> stdout.printf(format, key, accuracy(value), accuracy(before.get(key))));
    }

    private static String accuracy(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    private void write(Map<String, AttackResult> results) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("kind", kind).put("form", form).put("mcq", mcq.toString())
                .put("model", modelOptions.model.toString()).put("original", original.toString());
        ObjectNode byModel = root.putObject("results");
        results.forEach((name, r) -> byModel.set(name, r.toJson()));
        try {
            AtomicFiles.writeString(out, Json.pretty(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("results written to " + out);
    }
}
