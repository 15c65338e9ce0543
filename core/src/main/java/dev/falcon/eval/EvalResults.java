package dev.falcon.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.data.Problem;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The results.json of an evaluation run:
 * <pre>
 * {"results":  {TASK: {"acc", "acc_stderr", "n", "cloze_acc", ...}, PPL_TASK: {"token_perplexity", ...}},
 *  "samples":  {TASK: [{"index", "loglikelihoods", "pred", "gold", "cloze_loglikelihoods", ...}]},
 *  "tofu":     {"sets": {TASK: {"probability", "rouge_l", "truth_ratio", "truth_ratios", "samples", ...}},
 *               "model_utility": x},
 *  "mia":      {"forget", "holdout", "n_forget", "n_holdout", "k", "auc": {SCORE: x}, "reference_auc": {SCORE: x},
 *               "privleak_score", "privleak", "scores": {"forget": {SCORE: [...]}, "holdout": {SCORE: [...]}}},
 *  "problems": [{"file", "line", "message"}]}
 * </pre>
 * A task is named after its input file's stem. Values that are not finite (an undefined
 * standard error, a missing truth ratio) are written as null, since JSON has no NaN.
 */
public final class EvalResults {

    private final ObjectNode root = Json.MAPPER.createObjectNode();
    private final ObjectNode results = root.putObject("results");
    private final ObjectNode samples = root.putObject("samples");
    private final ArrayNode problems = root.putArray("problems");
    private ObjectNode tofuSets;

    public void addMcq(McqResult r) {
        ObjectNode t = task(r.task());
        put(t, "acc", r.acc());
        put(t, "acc_stderr", r.accStderr());
        t.put("n", r.n());
        if (r.hasCloze()) {
            put(t, "cloze_acc", r.clozeAcc());
            put(t, "cloze_acc_stderr", r.stderr(r.clozeAcc()));
            put(t, "cloze_acc_norm", r.clozeAccNorm());
            put(t, "cloze_acc_norm_stderr", r.stderr(r.clozeAccNorm()));
        }
        ArrayNode list = samples.putArray(r.task());
        for (McqResult.Sample s : r.samples()) {
            ObjectNode o = list.addObject();
            o.put("index", s.index());
            putAll(o.putArray("loglikelihoods"), s.lettered().loglikelihoods());
            o.put("pred", s.lettered().pred());
            o.put("gold", s.gold());
            if (s.cloze() != null) {
                putAll(o.putArray("cloze_loglikelihoods"), s.cloze().loglikelihoods());
                o.put("cloze_pred", s.cloze().pred());
                o.put("cloze_pred_norm", s.cloze().predNorm());
            }
        }
        r.problems().forEach(this::addProblem);
    }

    public void addPerplexity(String taskName, PerplexityResult r) {
        ObjectNode t = task(taskName);
        put(t, "token_perplexity", r.tokenPerplexity());
        put(t, "word_perplexity", r.wordPerplexity());
        put(t, "byte_perplexity", r.bytePerplexity());
        put(t, "bits_per_byte", r.bitsPerByte());
        put(t, "loglikelihood", r.logLikelihood());
        t.put("tokens", r.tokens());
        t.put("words", r.words());
        t.put("bytes", r.bytes());
    }

    /** @param forgetQuality the KS p-value against a reference, or NaN when there is none (then omitted) */
    public void addTofu(TofuResult r, double forgetQuality) {
        if (tofuSets == null) {
            tofuSets = root.putObject("tofu").putObject("sets");
        }
        if (tofuSets.has(r.task())) {
            throw new InputException("two TOFU inputs have the task name '" + r.task() + "'");
        }
        ObjectNode t = tofuSets.putObject(r.task());
        t.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        t.put("n", r.samples().size());
        put(t, "probability", r.probability());
        put(t, "rouge_l", r.rougeL());
        put(t, "truth_ratio", r.truthRatioScore());
        if (!Double.isNaN(forgetQuality)) {
            t.put("forget_quality", forgetQuality);
        }
        putAll(t.putArray("truth_ratios"), r.truthRatios());
        ArrayNode list = t.putArray("samples");
        for (TofuResult.Sample s : r.samples()) {
            ObjectNode o = list.addObject();
            o.put("question", s.question());
            put(o, "probability", s.probability());
            put(o, "truth_ratio", s.truthRatio());
            put(o, "rouge_l", s.rougeL());
            o.put("generated", s.generated());
        }
    }

    /**
     * Membership inference on forget versus held-out texts, under "mia": the sets' names and sizes,
     * k, each score's AUC (forget texts as members) and each text's scores; with a reference (a model
     * never trained on the forget set), its AUCs and MUSE's PrivLeak on Min-K%.
     *
     * @param referenceAuc the reference model's AUC by score, or null when there is none
     */
    public void addMia(String forgetName, String holdoutName, MembershipInference.Result r,
                       Map<MembershipScore, Double> referenceAuc) {
        ObjectNode m = root.putObject("mia");
        m.put("forget", forgetName);
        m.put("holdout", holdoutName);
        m.put("n_forget", r.forget().n());
        m.put("n_holdout", r.holdout().n());
        m.put("k", r.settings().k());
        putAucs(m.putObject("auc"), r.auc());
        if (referenceAuc != null) {
            putAucs(m.putObject("reference_auc"), referenceAuc);
            m.put("privleak_score", PrivLeak.SCORE.key());
            put(m, "privleak", r.privLeak(referenceAuc.get(PrivLeak.SCORE)));
        }
        ObjectNode scores = m.putObject("scores");
        putScores(scores.putObject("forget"), r.forget());
        putScores(scores.putObject("holdout"), r.holdout());
    }

    private static void putAucs(ObjectNode o, Map<MembershipScore, Double> auc) {
        auc.forEach((score, value) -> put(o, score.key(), value));
    }

    private static void putScores(ObjectNode o, MembershipInference.Scores s) {
        s.byScore().forEach((score, values) -> putAll(o.putArray(score.key()), values));
    }

    public void setModelUtility(double utility) {
        put((ObjectNode) root.get("tofu"), "model_utility", utility);
    }

    public String toJson() {
        return Json.pretty(root);
    }

    /** Replaces {@code out} atomically: a reader never sees a half-written file. */
    public void write(Path out) {
        try {
            AtomicFiles.writeString(out, toJson() + "\n");
        } catch (IOException e) {
            throw new InputException(out, "cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * The per-question truth ratios of TOFU set {@code task} in an earlier results.json, typically
     * of a model trained only on the retain set: the sample forget quality compares with.
     */
    public static double[] referenceTruthRatios(Path resultsFile, String task) {
        JsonNode ratios = readJson(resultsFile).path("tofu").path("sets").path(task).get("truth_ratios");
        if (ratios == null || !ratios.isArray() || ratios.isEmpty()) {
            throw new InputException(resultsFile, "has no tofu.sets." + task + ".truth_ratios to compare with");
        }
        double[] out = new double[ratios.size()];
        for (int i = 0; i < out.length; i++) {
            if (!ratios.get(i).isNumber()) {
                throw new InputException(resultsFile, "tofu.sets." + task + ".truth_ratios[" + i + "] is not a number");
            }
            out[i] = ratios.get(i).asDouble();
        }
        return out;
    }

    /**
     * The membership-inference AUCs, by score, in an earlier results.json of a model never trained on
     * the forget set, checked to come from sets of the sizes given.
     */
    public static Map<MembershipScore, Double> referenceMiaAuc(Path resultsFile, int nForget, int nHoldout) {
        JsonNode mia = readJson(resultsFile).path("mia");
        JsonNode auc = mia.get("auc");
        if (auc == null || !auc.isObject()) {
            throw new InputException(resultsFile, "has no mia.auc to compare with (run falcon eval --mia on the reference model)");
        }
        if (mia.path("n_forget").asInt(-1) != nForget || mia.path("n_holdout").asInt(-1) != nHoldout) {
            throw new InputException(resultsFile, "its mia results are of " + mia.path("n_forget") + " forget and "
                    + mia.path("n_holdout") + " held-out texts, not " + nForget + " and " + nHoldout);
        }
        Map<MembershipScore, Double> out = new EnumMap<>(MembershipScore.class);
        for (MembershipScore s : MembershipScore.values()) {
            JsonNode v = auc.get(s.key());
            if (v == null || !v.isNumber()) {
                throw new InputException(resultsFile, "mia.auc." + s.key() + " is not a number");
            }
            out.put(s, v.asDouble());
        }
        return out;
    }

    private static JsonNode readJson(Path resultsFile) {
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(resultsFile));
            return root == null ? Json.MAPPER.missingNode() : root;
        } catch (IOException e) {
            throw new InputException(resultsFile, "cannot read as JSON: " + e.getMessage(), e);
        }
    }

    private void addProblem(Problem p) {
        ObjectNode o = problems.addObject();
        o.put("file", p.file().toString());
        o.put("line", p.line());
        o.put("message", p.message());
    }

    private ObjectNode task(String name) {
        if (results.has(name)) {
            throw new InputException("two inputs have the task name '" + name + "'; rename one of them");
        }
        return results.putObject(name);
    }

    private static void put(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, value);
        } else {
            o.putNull(key);
        }
    }

    private static void putAll(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }
}
