package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.TextCorpus;
import dev.falcon.data.TofuDataset;
import dev.falcon.eval.EvalResults;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.eval.McqResult;
import dev.falcon.eval.MembershipInference;
import dev.falcon.eval.MembershipScore;
import dev.falcon.eval.PrivLeak;
import dev.falcon.eval.Perplexity;
import dev.falcon.eval.PerplexityResult;
import dev.falcon.eval.TofuEvaluator;
import dev.falcon.eval.TofuResult;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Scores a model on multiple-choice tasks (as lm-evaluation-harness 0.4.2), text perplexity
 * (rolling windows), TOFU question sets and membership inference on forget versus held-out texts (MUSE's
 * privleak), writes results.json and prints a summary table.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model: multiple-choice accuracy, perplexity, TOFU scores, membership inference.")
final class EvalCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--mcq", arity = "1..*", paramLabel = "FILE_OR_DIR",
            description = "Multiple-choice tasks: .jsonl/.json (cais/mmlu layout), an MMLU .csv, or a folder of .csv.")
    List<Path> mcq = new ArrayList<>();

    @Option(names = "--ppl", arity = "1..*", paramLabel = "FILE", description = "Text files scored whole for perplexity.")
    List<Path> ppl = new ArrayList<>();

    @Option(names = "--tofu", arity = "1..*", paramLabel = "FILE",
            description = "TOFU question sets (forget01.json, retain_perturbed.json, real_authors_perturbed.json, ...).")
    List<Path> tofu = new ArrayList<>();

    @Option(names = "--mia", split = ",", paramLabel = "FORGET,HOLDOUT",
            description = "Membership inference (loss, zlib, Min-K%, Min-K%++ and their ROC AUC): forget texts "
                    + "(members) and held-out texts, each .txt (a document a line), .jsonl or .json (text, or question and answer).")
    List<Path> mia = new ArrayList<>();

    @Option(names = "--reference", paramLabel = "RESULTS.json|MODEL",
            description = "A model never trained on the forget set: its results.json (enables TOFU forget quality, "
                    + "and PrivLeak with --mia), or with --mia the model itself (read with this --tokenizer).")
    Path reference;

    @Option(names = "--add-bos", description = "Prepend BOS to every scored text (lm-eval's add_bos_token; off by default).")
    boolean addBos;

    @Option(names = "--no-chat-template",
            description = "Score plain prompts even when the tokenizer_config.json has a chat_template.")
    boolean noChatTemplate;

    @Option(names = "--no-cloze", description = "Skip the cloze form of the multiple-choice tasks.")
    boolean noCloze;

    @Option(names = "--batch-size", defaultValue = "8", description = "Sequences per forward pass, at most "
            + "(default 8): fewer where contexts are long, so that a batch's attention scores stay within 32 MiB.")
    int batchSize;

    @Option(names = "--max-new-tokens", defaultValue = "64",
            description = "Longest greedy TOFU answer, in tokens (default 64).")
    int maxNewTokens;

    @Option(names = "--out", required = true, paramLabel = "results.json", description = "Where to write the results.")
    Path out;

    private final List<String[]> table = new ArrayList<>();

    @Override
    public void run() {
        checkOptions();
        Map<String, double[]> references = readReferences();
        List<List<Document>> miaSets = InputFiles.read(mia);
        Map<MembershipScore, Double> miaReference = readMiaReference(miaSets);
        EvalResults results = new EvalResults();
        MembershipInference.Result miaResult = null;
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer();
             Cluster executors = cluster.connect("falcon eval").orElse(null)) {
            LlamaModel model = modelOptions.load(source);
            LogLikelihood ll = new LogLikelihood(model, tok, addBos, batchSize)
                    .withChatTemplate(modelOptions.chatTemplate(noChatTemplate));
            if (executors != null) {
                // the batches are formed here and scored on the executors; TOFU's greedy answers are made here
                ll = ll.withRunner(executors.scoring(modelOptions.scoringModel(source, addBos, batchSize)));
            }
            for (Path file : mcq) {
                runMcq(new McqEvaluator(ll), file, results);
            }
            for (Path file : ppl) {
                runPerplexity(new Perplexity(ll), file, results);
            }
            runTofu(new TofuEvaluator(ll, maxNewTokens), references, results);
            if (!miaSets.isEmpty()) {
                miaResult = membershipInference(ll, miaSets, "");
            }
        }
        if (miaResult != null) {
            // the reference model is loaded only now, so that the two models are never in memory together
            addMia(miaResult, miaReference != null ? miaReference : referenceModelAuc(miaSets), results);
        }
        results.write(out);
        printTable();
    }

    private void checkOptions() {
        if (mcq.isEmpty() && ppl.isEmpty() && tofu.isEmpty() && mia.isEmpty()) {
            throw new InputException("nothing to evaluate: give --mcq, --ppl, --tofu or --mia");
        }
        if (!mia.isEmpty() && mia.size() != 2) {
            throw new InputException("--mia takes two files, FORGET,HOLDOUT; got " + mia.size());
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (maxNewTokens < 1) {
            throw new InputException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        if (reference != null && !Files.exists(reference)) {
            throw new InputException(reference, "--reference: no such file or folder");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new InputException(out, "the output folder does not exist");
        }
    }

    /** Read before any scoring, so that a bad reference fails in seconds rather than after the run. */
    private Map<String, double[]> readReferences() {
        Map<String, double[]> refs = new HashMap<>();
        if (reference == null || !isResultsFile(reference)) {
            return refs;
        }
        for (Path file : tofu) {
            String task = stem(file);
            if (TofuResult.Kind.of(task) == TofuResult.Kind.FORGET) {
                refs.put(task, EvalResults.referenceTruthRatios(reference, task));
            }
        }
        if (refs.isEmpty() && mia.isEmpty()) {
            throw new InputException("--reference is only used with --mia or a forget set (a --tofu file named forget...)");
        }
        return refs;
    }

    /** A results.json rather than a model (a folder, or a llama2.c .bin). */
    static boolean isResultsFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /**
     * The reference's membership-inference AUCs when it is a results.json; null when there is no reference
     * or it is a model, to be scored after the evaluated one.
     */
    private Map<MembershipScore, Double> readMiaReference(List<List<Document>> miaSets) {
        if (reference == null) {
            return null;
        }
        if (!isResultsFile(reference)) {
            if (miaSets.isEmpty()) {
                throw new InputException(reference, "a reference model is only used with --mia; "
                        + "TOFU forget quality needs the reference's results.json");
            }
            if (tofu.stream().anyMatch(f -> TofuResult.Kind.of(stem(f)) == TofuResult.Kind.FORGET)) {
                throw new InputException(reference, "TOFU forget quality needs the reference's results.json, not a model");
            }
            return null;
        }
        return miaSets.isEmpty() ? null
                : EvalResults.referenceMiaAuc(reference, miaSets.get(0).size(), miaSets.get(1).size());
    }

    /** Each score's AUC under the reference model, or null when there is none. */
    private Map<MembershipScore, Double> referenceModelAuc(List<List<Document>> miaSets) {
        if (reference == null) {
            return null;
        }
        try (WeightSource source = Checkpoints.open(reference); Tokenizer tok = modelOptions.openTokenizer()) {
            LogLikelihood ll = new LogLikelihood(modelOptions.load(source), tok, addBos, batchSize);
            return membershipInference(ll, miaSets, "reference ").auc();
        }
    }

    private MembershipInference.Result membershipInference(LogLikelihood ll, List<List<Document>> sets, String who) {
        MembershipInference mi = new MembershipInference(ll, MembershipInference.Settings.DEFAULT);
        long start = System.nanoTime();
        MembershipInference.Scores forget = scoreMiaSet(mi, mia.get(0), sets.get(0));
        MembershipInference.Scores holdout = scoreMiaSet(mi, mia.get(1), sets.get(1));
        report(who + "membership inference: " + (forget.n() + holdout.n()) + " texts", start);
        return mi.compare(forget, holdout);
    }

    private static MembershipInference.Scores scoreMiaSet(MembershipInference mi, Path file, List<Document> docs) {
        try {
            return mi.score(docs);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, e.getMessage(), e);
        }
    }

    private void addMia(MembershipInference.Result r, Map<MembershipScore, Double> referenceAuc, EvalResults results) {
        results.addMia(stem(mia.get(0)), stem(mia.get(1)), r, referenceAuc);
        for (MembershipScore s : MembershipScore.values()) {
            row("mia", "auc " + s.key(), format(r.auc().get(s)));
        }
        if (referenceAuc != null) {
            row("mia", "privleak (" + PrivLeak.SCORE.key() + ", %)", format(r.privLeak(referenceAuc.get(PrivLeak.SCORE))));
        }
        row("mia", "n forget / holdout", r.forget().n() + " / " + r.holdout().n());
    }

    private void runMcq(McqEvaluator evaluator, Path file, EvalResults results) {
        McqDataset data = McqDataset.read(file);
        data.problems().forEach(p -> System.err.println("warning: skipped " + p));
        long start = System.nanoTime();
        McqResult r = evaluator.evaluate(data, !noCloze);
        report(data.task() + ": " + r.n() + " questions", start);
        results.addMcq(r);
        row(data.task(), "acc", String.format(Locale.ROOT, "%.4f ± %.4f", r.acc(), r.accStderr()));
        if (r.hasCloze()) {
            row(data.task(), "cloze acc", String.format(Locale.ROOT, "%.4f", r.clozeAcc()));
            row(data.task(), "cloze acc_norm", String.format(Locale.ROOT, "%.4f", r.clozeAccNorm()));
        }
        row(data.task(), "n", Integer.toString(r.n()));
    }

    private void runPerplexity(Perplexity perplexity, Path file, EvalResults results) {
        String task = stem(file);
        long start = System.nanoTime();
        PerplexityResult r = perplexity.evaluate(TextCorpus.readWhole(file));
        report(task + ": " + r.tokens() + " tokens", start);
        results.addPerplexity(task, r);
        row(task, "token perplexity", format(r.tokenPerplexity()));
        row(task, "word perplexity", format(r.wordPerplexity()));
        row(task, "byte perplexity", format(r.bytePerplexity()));
    }

    private void runTofu(TofuEvaluator evaluator, Map<String, double[]> references, EvalResults results) {
        List<TofuResult> sets = new ArrayList<>();
        for (Path file : tofu) {
            String task = stem(file);
            long start = System.nanoTime();
            TofuResult r = evaluator.evaluate(task, TofuDataset.read(file));
            report(task + ": " + r.samples().size() + " TOFU questions", start);
            double quality = references.containsKey(task) ? forgetQuality(file, r, references.get(task)) : Double.NaN;
            results.addTofu(r, quality);
            sets.add(r);
            row(task, "probability", format(r.probability()));
            row(task, "rouge-L recall", format(r.rougeL()));
            row(task, "truth ratio", format(r.truthRatioScore()));
            if (!Double.isNaN(quality)) {
                row(task, "forget quality", format(quality));
            }
        }
        OptionalDouble utility = TofuResult.modelUtility(sets);
        if (utility.isPresent()) {
            results.setModelUtility(utility.getAsDouble());
            row("tofu", "model utility", format(utility.getAsDouble()));
        }
    }

    private static double forgetQuality(Path file, TofuResult r, double[] reference) {
        if (Double.isNaN(r.truthRatioScore())) {
            throw new InputException(file, "forget quality needs perturbed answers for every question");
        }
        return r.forgetQuality(reference);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void report(String what, long startNanos) {
        System.err.printf(Locale.ROOT, "%s scored in %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    private void row(String task, String metric, String value) {
        table.add(new String[] {task, metric, value});
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }

    private void printTable() {
        int taskWidth = "task".length();
        int metricWidth = "metric".length();
        for (String[] r : table) {
            taskWidth = Math.max(taskWidth, r[0].length());
            metricWidth = Math.max(metricWidth, r[1].length());
        }
        String format = "%-" + taskWidth + "s  %-" + metricWidth + "s  %s%n";
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.printf(format, "task", "metric", "value");
        for (String[] r : table) {
            stdout.printf(format, (Object[]) r);
        }
        stdout.println("results written to " + out);
    }
}
