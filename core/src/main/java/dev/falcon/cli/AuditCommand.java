package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.Attacks;
import dev.falcon.attack.FineTuneSettings;
import dev.falcon.audit.AttackCells;
import dev.falcon.audit.Audit;
import dev.falcon.audit.AuditInputs;
import dev.falcon.audit.AuditPage;
import dev.falcon.audit.AuditReport;
import dev.falcon.audit.AuditSettings;
import dev.falcon.audit.AuditThresholds;
import dev.falcon.audit.AttackBattery;
import dev.falcon.audit.FileHashes;
import dev.falcon.audit.ModelAccess;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.TextCorpus;
import dev.falcon.demo.DemoProgress;
import dev.falcon.eval.EvalResults;
import dev.falcon.eval.MembershipScore;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.model.LlamaConfig;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The audit: every attack at its default budgets on the unlearned model and on the original, forget and
 * retain accuracy, membership inference when texts are given, and a verdict against stated thresholds.
 * Exit code 0 when the verdict passes, 3 when it fails, 2 on bad input.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Run every attack on the unlearned model and the original, judge the result against "
                + "thresholds, and write audit.json and audit.html. Exit code 0: pass, 3: fail, 2: bad input.")
final class AuditCommand implements Callable<Integer> {

    /** The exit code of a failed verdict. */
    static final int FAILED = 3;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--original", required = true, paramLabel = "PATH",
            description = "The model before unlearning: the control every attack also runs on (read with the same "
                    + "tokenizer).")
    Path original;

    @Option(names = "--forget-mcq", required = true, paramLabel = "FILE",
            description = "The forget questions: .jsonl/.json (cais/wmdp layout), an MMLU .csv or a folder of .csv.")
    Path forgetMcq;

    @Option(names = "--retain-mcq", required = true, paramLabel = "FILE", description = "The retain questions.")
    Path retainMcq;

    @Option(names = "--forget-text", paramLabel = "FILE",
            description = "Forget-domain documents (.txt, .jsonl, .json): the members of the membership inference "
                    + "and the relearning attack's text.")
    Path forgetText;

    @Option(names = "--holdout-text", paramLabel = "FILE",
            description = "Documents like the forget texts that no model was trained on: with --forget-text, "
                    + "membership inference runs.")
    Path holdoutText;

    @Option(names = "--retain-text", paramLabel = "FILE",
            description = "Retain-domain documents, for the unrelated fine-tuning attack.")
    Path retainText;

    @Option(names = "--reference", paramLabel = "MODEL|RESULTS.json",
            description = "A model never trained on the forget texts, or its falcon eval --mia results.json: "
                    + "PrivLeak is judged against it.")
    Path reference;

    @Option(names = "--form", defaultValue = "lettered",
            description = "Multiple-choice form: lettered or cloze (default ${DEFAULT-VALUE}).")
    String form;

    @Option(names = "--attacks", split = ",", paramLabel = "NAME",
            description = "The attacks to run (default: all: relearn, logit-lens, jailbreak, quantize, few-shot, "
                    + "rephrase, finetune-unrelated, direction-ablation, gcg).")
    List<String> attacks;

    @Option(names = "--budget", paramLabel = "NAME=B1,B2", mapFallbackValue = "",
            description = "Budgets of one attack in place of its defaults, as falcon attack --budgets takes them; "
                    + "repeatable.")
    Map<String, String> budgets = new LinkedHashMap<>();

    @Option(names = "--forget-margin", defaultValue = "" + AuditThresholds.FORGET_MARGIN,
            description = "Points above chance the forget accuracy may reach under any attack (default "
                    + "${DEFAULT-VALUE}).")
    double forgetMargin;

    @Option(names = "--retain-drop", defaultValue = "" + AuditThresholds.RETAIN_DROP,
            description = "Points of retain accuracy the unlearned model may lose against the original (default "
                    + "${DEFAULT-VALUE}).")
    double retainDrop;

    @Option(names = "--privleak-bound", defaultValue = "" + AuditThresholds.PRIVLEAK_BOUND,
            description = "Largest |PrivLeak| in percent, judged with --reference (default ${DEFAULT-VALUE}).")
    double privLeakBound;

    @Option(names = "--seed", description = "Seeds every random draw of the attacks (default: each attack's own: "
            + "42 for fine-tuning order, lm-eval's 1234 for few-shot examples).")
    Long seed;

    @Option(names = "--finetune-lr", defaultValue = "" + FineTuneSettings.DEFAULT_LR,
            description = "Learning rate of the relearning and unrelated fine-tuning attacks (default "
                    + "${DEFAULT-VALUE}; small models from scratch, such as the demo's, need about 1e-3).")
    double fineTuneLr;

    @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per scoring forward pass (default 8).")
    int batchSize;

    @Option(names = "--add-bos", description = "Prepend BOS to every scored text (lm-eval's add_bos_token).")
    boolean addBos;

    @Option(names = "--no-chat-template",
            description = "Score plain prompts even when the tokenizer_config.json has a chat_template.")
    boolean noChatTemplate;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--out", defaultValue = "audit", paramLabel = "DIR",
            description = "Output folder for audit.json and audit.html (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing output folder.")
    boolean overwrite;

    @Override
    public Integer call() {
        AuditSettings settings = settings();
        checkPaths();
        McqDataset forget = questions(forgetMcq);
        McqDataset retain = questions(retainMcq);
        List<Document> members = documents(forgetText);
        List<Document> others = documents(holdoutText);
        List<Document> retainDocs = documents(retainText);
        // a results.json is read before any model, so that a mismatch fails at once
        Optional<Map<MembershipScore, Double>> referenceAuc = reference != null && !referenceIsModel()
                ? Optional.of(EvalResults.referenceMiaAuc(reference, members.size(), others.size())) : Optional.empty();
        AuditInputs inputs = new AuditInputs(forget, retain, members, others, retainDocs, referenceAuc);
        Optional<ChatTemplate> chat = modelOptions.chatTemplate(noChatTemplate);
        AuditReport report;
        try (Tokenizer tok = modelOptions.openTokenizer(); DemoProgress bars = new DemoProgress();
             Cluster executors = cluster.connect("falcon audit").orElse(null)) {
            Audit audit = new Audit(settings, tok, chat, bars.forAudit());
            if (executors != null) {
                audit = audit.attacksIn(cells(executors, settings, chat.isPresent()));
            }
            AttackBattery battery = audit.plan(sameArchitecture(), inputs);
            if (referenceIsModel()) {
                inputs = new AuditInputs(forget, retain, members, others, retainDocs,
                        Optional.of(audit.referenceAuc(load(reference, executors), members, others)));
            }
            report = audit.run(battery, inputs, load(modelOptions.model, executors), load(original, executors),
                    FileHashes.of(files()));
        }
        write(report);
        print(report);
        return report.verdict().passed() ? 0 : FAILED;
    }

    private AuditSettings settings() {
        if (!(fineTuneLr > 0 && Double.isFinite(fineTuneLr))) {
            throw new InputException("--finetune-lr must be a positive number, got " + fineTuneLr);
        }
        AttackSettings defaults = AttackSettings.defaults().withFineTuneLr(fineTuneLr);
        AttackSettings attackSettings = seed == null ? defaults : defaults.withSeed(seed);
        Map<String, List<String>> given = new LinkedHashMap<>();
        budgets.forEach((name, list) -> given.put(name, list.isEmpty() ? List.of() : Arrays.asList(list.split(",", -1))));
        return new AuditSettings(McqForm.of(form, "--form"), new AuditThresholds(forgetMargin, retainDrop,
                privLeakBound), attackSettings, attacks == null ? Attacks.NAMES : attacks, given, addBos, batchSize);
    }

    /** Every path is checked, and the output refused where it would overlap a model, before anything is loaded. */
    private void checkPaths() {
        for (Path model : modelPaths()) {
            if (!Files.exists(model)) {
                throw new InputException(model, "no such file or folder");
            }
            OutputFolder.check(out, model, overwrite);
        }
        if (reference != null && reference.equals(original)) {
            throw new InputException(reference, "--reference must be a model never trained on the forget texts, "
                    + "not the original");
        }
        if (holdoutText != null && forgetText == null || reference != null && holdoutText == null) {
            throw new InputException("--holdout-text needs --forget-text, and --reference needs both");
        }
    }

    private List<Path> modelPaths() {
        return referenceIsModel() ? List.of(modelOptions.model, original, reference)
                : List.of(modelOptions.model, original);
    }

    /** --reference is a model (a folder or a llama2.c .bin), not its results.json. */
    private boolean referenceIsModel() {
        return reference != null && !EvalCommand.isResultsFile(reference);
    }

    private static McqDataset questions(Path file) {
        McqDataset data = McqDataset.read(file);
        data.problems().forEach(p -> System.err.println("warning: skipped " + p));
        return data;
    }

    private static List<Document> documents(Path file) {
        return file == null ? List.of() : TextCorpus.read(file);
    }

    /** The forget and retain text files, absolute (null where not given), read where an attack runs. */
    record Texts(String forgetText, String retainText) implements Serializable {

        List<Document> forget() {
            return documents(forgetText == null ? null : Path.of(forgetText));
        }

        List<Document> retain() {
            return documents(retainText == null ? null : Path.of(retainText));
        }
    }

    /** Each attack on each model as tasks of the cluster's ({@link ClusterAttackCells}). */
    private AttackCells cells(Cluster executors, AuditSettings settings, boolean chat) {
        return new ClusterAttackCells(executors, scoringModel(modelOptions.model), scoringModel(original), chat,
                settings.attacks(), settings.form(), absolute(forgetMcq),
                new Texts(absolute(forgetText), absolute(retainText)));
    }

    private static String absolute(Path file) {
        return file == null ? null : file.toAbsolutePath().toString();
    }

    /** {@code model} as a cluster's executors open it. */
    private ScoringModel scoringModel(Path model) {
        try (WeightSource source = Checkpoints.open(model)) {
            return modelOptions.scoringModel(model, source, addBos, batchSize);
        }
    }

    /** The unlearned model's config, after checking that the original's (and the reference's) has its shape. */
    private LlamaConfig sameArchitecture() {
        LlamaConfig config = config(modelOptions.model);
        for (Path other : modelPaths().subList(1, modelPaths().size())) {
            LlamaConfig c = config(other);
            if (c.numLayers() != config.numLayers() || c.hiddenSize() != config.hiddenSize()
                    || c.vocabSize() != config.vocabSize()) {
                throw new InputException(other, "is not the same architecture as --model " + modelOptions.model
                        + " (layers, width or vocabulary differ)");
            }
        }
        return config;
    }

    private static LlamaConfig config(Path model) {
        try (WeightSource source = Checkpoints.open(model)) {
            return source.config();
        }
    }

    /**
     * The model at {@code path}, loaded when the audit gets to it; with a cluster, the batches of its scorer
     * are scored on the executors (the attacks run there too, each a cell of its own: {@link #cells}).
     */
    private ModelAccess load(Path model, Cluster executors) {
        ModelAccess access = work -> {
            try (WeightSource source = Checkpoints.open(model)) {
                work.accept(modelOptions.load(source));
            }
        };
        return executors == null ? access : access.scoredBy(executors.scoring(scoringModel(model)));
    }

    /** Every input file by role: the models, the tokenizer when given apart, the questions and texts. */
    private Map<String, Path> files() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("model", modelOptions.model);
        files.put("original", original);
        putIfGiven(files, "reference", reference);
        putIfGiven(files, "tokenizer", modelOptions.tokenizer);
        files.put("forget_mcq", forgetMcq);
        files.put("retain_mcq", retainMcq);
        putIfGiven(files, "forget_text", forgetText);
        putIfGiven(files, "holdout_text", holdoutText);
        putIfGiven(files, "retain_text", retainText);
        return files;
    }

    private static void putIfGiven(Map<String, Path> files, String role, Path path) {
        if (path != null) {
            files.put(role, path);
        }
    }

    private void write(AuditReport report) {
        try {
            OutputFolder.write(out, dir -> {
                Files.writeString(dir.resolve("audit.json"), Json.pretty(report.toJson()) + "\n");
                AuditPage.write(report, dir.resolve("audit.html"));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each attack's highest forget accuracy on both models, then the verdict and its reasons. */
    private void print(AuditReport report) {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String format = "%-20s %-32s %s%n";
        stdout.printf(format, "attack", "unlearned, highest", "original, highest");
        report.battery().planned().forEach(p -> {
            String name = p.attack().name();
            stdout.printf(format, name, highest(report.unlearned().curves().get(name)),
                    highest(report.original().curves().get(name)));
        });
        report.battery().skipped().forEach(s -> stdout.println("not run: " + s.attack() + ": " + s.reason()));
        stdout.println("worst case: " + report.worstCase().accuracy().percent() + " (" + report.worstCase().label() + ")");
        report.verdict().lines().forEach(stdout::println);
        stdout.println("audit written to " + out);
    }

    private static String highest(AttackCurve curve) {
        return curve.best().accuracy().percent() + " at " + curve.best().budget();
    }
}
