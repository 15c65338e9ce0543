package dev.falcon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.attack.Attack;
import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackInputs;
import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.Attacks;
import dev.falcon.attack.DirectionAblationSettings;
import dev.falcon.attack.FewShotSettings;
import dev.falcon.attack.GcgSettings;
import dev.falcon.attack.FineTuneSettings;
import dev.falcon.attack.QuantizeSettings;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.TextCorpus;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.model.LlamaModel;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.io.Progress;
import dev.falcon.tokenizer.Tokenizer;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Knowledge-recovery attacks on an unlearned model, each a curve over the attacker's budget, and
 * with --original the same attack on the model before unlearning as the control: what an attack
 * recovers is read against what there was to recover, and against what the attack itself destroys.
 */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "Try to recover unlearned knowledge with one attack at several budgets, on the unlearned "
                + "model and, with --original, on the model before unlearning.")
final class AttackCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--original", paramLabel = "PATH",
            description = "The model before unlearning, attacked as the control (same forms as --model; read with "
                    + "the same tokenizer).")
    Path original;

    @Option(names = "--kind", required = true,
            description = "relearn, logit-lens, jailbreak, quantize, few-shot, rephrase, finetune-unrelated, "
                    + "direction-ablation or gcg.")
    String kind;

    @Option(names = "--budgets", split = ",", paramLabel = "B",
            description = "The budgets to try, comma-separated (default: the attack's own). relearn and "
                    + "finetune-unrelated: DOCUMENTSxSTEPS (10x50); logit-lens: layer; jailbreak: none or a "
                    + "template id; quantize: full, 8, 4-int, 4-nf4; few-shot: k; rephrase: template index; "
                    + "direction-ablation: directions per layer; gcg: iterations.")
    List<String> budgets;

    @Option(names = "--mcq", required = true, paramLabel = "FILE",
            description = "The forget questions: .jsonl/.json (cais/wmdp layout), an MMLU .csv or a folder of .csv.")
    Path mcq;

    @Option(names = "--form", defaultValue = "lettered",
            description = "Multiple-choice form: lettered (lm-eval's MMLU/WMDP default) or cloze (default lettered).")
    String form;

    @Option(names = "--forget-data", paramLabel = "FILE",
            description = "relearn: forget documents (.txt, .jsonl, .json), trained on from the first; "
                    + "direction-ablation: the documents its directions are measured on.")
    Path forgetData;

    @Option(names = "--retain-data", paramLabel = "FILE",
            description = "finetune-unrelated: retain-domain documents (.txt, .jsonl, .json), trained on from the "
                    + "first.")
    Path retainData;

    @Option(names = "--shots", paramLabel = "FILE",
            description = "few-shot: solved forget-domain questions shown as examples, none of them scored "
                    + "(default: hold --held-out of the --mcq questions out).")
    Path shots;

    @Option(names = "--held-out", defaultValue = "" + FewShotSettings.MMLU_DEV_SIZE,
            description = "few-shot without --shots: questions held out as examples (default ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--shot-seed", defaultValue = "" + FewShotSettings.LM_EVAL_SEED,
            description = "few-shot: seed of the examples' draw (default ${DEFAULT-VALUE}, lm-eval's).")
    long shotSeed;

    @Option(names = "--group-size", defaultValue = "" + QuantizeSettings.GPTQ_GROUP_SIZE,
            description = "quantize: weights per scale of int4 (default ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--nf4-block-size", defaultValue = "" + QuantizeSettings.BITSANDBYTES_BLOCK_SIZE,
            description = "quantize: weights per scale of NF4 (default ${DEFAULT-VALUE}, bitsandbytes').")
    int nf4BlockSize;

    @Option(names = "--lr", defaultValue = "" + FineTuneSettings.DEFAULT_LR,
            description = "relearn, finetune-unrelated: constant learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--train-batch-size", defaultValue = "" + FineTuneSettings.DEFAULT_BATCH_SIZE,
            description = "relearn, finetune-unrelated: documents per step (default ${DEFAULT-VALUE}).")
    int trainBatchSize;

    @Option(names = "--max-length", defaultValue = "" + FineTuneSettings.DEFAULT_MAX_LENGTH,
            description = "relearn, finetune-unrelated: tokens per document, BOS included (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--seed", defaultValue = "" + FineTuneSettings.DEFAULT_SEED,
            description = "relearn, finetune-unrelated: seed of the document order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ablation-documents", defaultValue = "" + DirectionAblationSettings.DEFAULT_DOCUMENTS,
            description = "direction-ablation: forget documents the directions are measured on, from the first "
                    + "(default ${DEFAULT-VALUE}).")
    int ablationDocuments;

    @Option(names = "--suffix-length", defaultValue = "" + GcgSettings.ZOU_SUFFIX_LENGTH,
            description = "gcg: tokens in the adversarial suffix (default ${DEFAULT-VALUE}, Zou et al.'s).")
    int suffixLength;

    @Option(names = "--top-k", defaultValue = "" + GcgSettings.CPU_TOP_K,
            description = "gcg: candidate tokens per suffix position (default ${DEFAULT-VALUE}; Zou et al.: 256).")
    int topK;

    @Option(names = "--candidates", defaultValue = "" + GcgSettings.CPU_CANDIDATES,
            description = "gcg: single-token swaps scored per iteration (default ${DEFAULT-VALUE}; Zou et al.: 512).")
    int candidates;

    @Option(names = "--gcg-held-out", defaultValue = "" + GcgSettings.DEFAULT_HELD_OUT,
            description = "gcg: questions the suffix is optimised on, never scored (default ${DEFAULT-VALUE}).")
    int gcgHeldOut;

    @Option(names = "--gcg-seed", defaultValue = "0",
            description = "gcg: seed of the held-out draw and of the swaps (default ${DEFAULT-VALUE}).")
    long gcgSeed;

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
        Attack attack = Attacks.create(kind, new AttackSettings(new FineTuneSettings(lr, trainBatchSize, maxLength,
                seed), new QuantizeSettings(groupSize, nf4BlockSize), new FewShotSettings(shotSeed, heldOut),
                DirectionAblationSettings.withDocuments(ablationDocuments),
                new GcgSettings(suffixLength, topK, candidates, gcgHeldOut, gcgSeed)));
        checkOptions(attack);
        McqDataset questions = McqDataset.read(mcq);
        questions.problems().forEach(p -> System.err.println("warning: skipped " + p));
        AttackInputs inputs = new AttackInputs(questions, mcqForm(), documents(forgetData), documents(retainData),
                shots == null ? null : McqDataset.read(shots));
        List<String> tried = budgets != null ? List.copyOf(budgets) : defaultBudgets(attack, inputs);
        attack.check(tried, inputs);
        Map<String, AttackCurve> curves = new LinkedHashMap<>();
        chat = modelOptions.chatTemplate(noChatTemplate);
        try (Tokenizer tok = modelOptions.openTokenizer()) {
            // an attack that compares with the original holds it beside the model; the others load one at a time
            LlamaModel before = attack.needsOriginal() ? load(original) : null;
            AttackInputs given = inputs.withOriginal(before);
            curves.put("model", attack(attack, modelOptions.model, load(modelOptions.model), tok, given, tried));
            if (original != null) {
                curves.put("original", attack(attack, original, before != null ? before : load(original), tok, given,
                        tried));
            }
        }
        printTable(curves);
        if (out != null) {
            write(attack, tried, curves);
        }
    }

    /** Every option is checked before a model is loaded. */
    private void checkOptions(Attack attack) {
        mcqForm();
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (original != null && !Files.exists(original)) {
            throw new InputException(original, "no such file or folder (--original)");
        }
        if (out != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new InputException(out, "the output folder does not exist");
        }
        boolean readsForgetText = attack.name().equals("relearn") || attack.name().equals("direction-ablation");
        if (forgetData != null && !readsForgetText) {
            throw new InputException("--forget-data is only used by --kind relearn and direction-ablation");
        }
        if (attack.needsOriginal() && original == null) {
            throw new InputException("--kind " + attack.name() + " compares with the model before unlearning: give "
                    + "--original");
        }
        onlyFor("finetune-unrelated", "--retain-data", retainData);
        onlyFor("few-shot", "--shots", shots);
        if (readsForgetText && forgetData == null) {
            throw new InputException("--kind " + attack.name() + " needs --forget-data");
        }
        if (kind.equals("finetune-unrelated") && retainData == null) {
            throw new InputException("--kind finetune-unrelated needs --retain-data");
        }
    }

    private void onlyFor(String attack, String option, Path value) {
        if (value != null && !kind.equals(attack)) {
            throw new InputException(option + " is only used by --kind " + attack);
        }
    }

    private static List<Document> documents(Path file) {
        return file == null ? List.of() : TextCorpus.read(file);
    }

    /** The attack's default budgets, some of which (the layers) depend on the model's configuration. */
    private List<String> defaultBudgets(Attack attack, AttackInputs inputs) {
        try (WeightSource source = modelOptions.openWeights()) {
            return attack.defaultBudgets(source.config(), inputs);
        }
    }

    private McqForm mcqForm() {
        return McqForm.of(form, "--form");
    }

    private LlamaModel load(Path path) {
        try (WeightSource source = Checkpoints.open(path)) {
            return modelOptions.load(source);
        }
    }

    private AttackCurve attack(Attack attack, Path path, LlamaModel model, Tokenizer tok, AttackInputs inputs,
                               List<String> tried) {
        LogLikelihood scorer = new LogLikelihood(model, tok, addBos, batchSize).withChatTemplate(chat);
        try (ProgressBar bar = Progress.bar(attack.name() + " on " + path.getFileName(), tried.size())) {
            return attack.run(scorer, inputs, tried, budget -> bar.step());
        }
    }

    /** One row per budget, one column per model. */
    private static void printTable(Map<String, AttackCurve> curves) {
        AttackCurve first = curves.get("model");
        int width = first.budgetAxis().length();
        for (AttackCurve.Point p : first.points()) {
            width = Math.max(width, p.budget().length());
        }
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.println(first.attack() + " on task " + first.task() + ": multiple-choice accuracy [95% CI]");
        String format = "%-" + width + "s" + "  %-24s".repeat(curves.size()) + "%n";
        stdout.printf(format, header(first, curves));
        for (int i = 0; i < first.points().size(); i++) {
            int row = i;
            List<String> cells = new ArrayList<>(List.of(first.points().get(i).budget()));
            curves.values().forEach(c -> cells.add(c.points().get(row).accuracy().percent()));
            stdout.printf(format, cells.toArray());
        }
    }

    private static Object[] header(AttackCurve first, Map<String, AttackCurve> curves) {
        List<String> cells = new ArrayList<>(List.of(first.budgetAxis()));
        cells.addAll(curves.keySet());
        return cells.toArray();
    }

    private void write(Attack attack, List<String> tried, Map<String, AttackCurve> curves) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("kind", attack.name())
                .put("budget_axis", attack.budgetAxis()).put("form", form).put("mcq", mcq.toString())
                .put("model", modelOptions.model.toString());
        if (original != null) {
            root.put("original", original.toString());
        }
        tried.forEach(root.putArray("budgets")::add);
        ObjectNode byModel = root.putObject("results");
        curves.forEach((name, c) -> byModel.set(name, c.toJson()));
        try {
            AtomicFiles.writeString(out, Json.pretty(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("results written to " + out);
    }
}
