package dev.falcon.bench;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.TofuDataset;
import dev.falcon.data.TofuItem;
import dev.falcon.engine.Engine;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.TofuEvaluator;
import dev.falcon.eval.TofuResult;
import dev.falcon.checkpoint.Checkpoints;
import dev.falcon.engine.DType;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.checkpoint.ModelLoader;
import dev.falcon.train.TrainLog;
import dev.falcon.train.Trainer;
import dev.falcon.unlearn.BaselineSettings;
import dev.falcon.unlearn.ContrastiveForgetLoss;
import dev.falcon.unlearn.EditedParameters;
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.GradientProjection;
import dev.falcon.unlearn.TrainingLog;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearningMethod;
import dev.falcon.unlearn.UnlearningMethods;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * TOFU end to end on stories260K: fine-tune on forget01 plus a retain subset, train the
 * retain-only reference, unlearn forget01 with FALCON and the baselines (each on a fresh copy of
 * the fine-tuned model), and score every model with TOFU's forget quality and model utility.
 */
public final class TofuBench {

    /** The methods compared, FALCON first. */
    public static final List<String> METHODS = List.of("falcon", "rmu", "ga", "graddiff", "npo");
    /** ROUGE-L recall on forget01 from which the fine-tuned model counts as having memorised it. */
    static final double MEMORISED_ROUGE_L = 0.6;
    static final String FINE_TUNED = "fine-tuned";
    static final String REFERENCE = "retain-only reference";

    /** Every block matrix: what the likelihood baselines train, as TOFU fine-tunes whole models. */
    private static final List<String> BLOCK_MATRICES = List.of("self_attn.q_proj", "self_attn.k_proj",
            "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

    private final TofuBenchConfig config;
    private final FineTuneCache cache;
    private final PrintStream log;
    private final PhaseTimes phases = new PhaseTimes();
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /** @param cache where fine-tuned models are reused from and kept, or null to train them every run */
    public TofuBench(TofuBenchConfig config, FineTuneCache cache, PrintStream log) {
        this.config = config;
        this.cache = cache;
        this.log = log;
    }

    /** Runs every phase and returns the rows (fine-tuned, reference, then each method) with the phase timings. */
    public TofuBenchResult run() {
        Inputs in = phases.time("read data", this::readInputs);
        try (WeightSource source = Checkpoints.open(config.modelFile("stories260K.bin"));
             Tokenizer tok = Tokenizers.load(config.modelFile("tok512.bin"))) {
            LlamaModel base = ModelLoader.load(source, DType.F32);
            List<Document> forgetDocs = documents(in.forget);
            List<Document> retainDocs = documents(in.retain);
            List<Document> both = new ArrayList<>(forgetDocs);
            both.addAll(retainDocs);
            LlamaModel fineTuned = finetune("fine-tune", base, both, tok);
            LlamaModel reference = finetune("train reference", base, retainDocs, tok);
            TofuEvaluation refEval = evaluate(REFERENCE, reference, tok, in);
            double[] referenceRatios = refEval.forget().truthRatios();
            List<TofuRow> rows = new ArrayList<>();
            TofuRow tuned = evaluate(FINE_TUNED, fineTuned, tok, in).row(referenceRatios);
            if (tuned.forgetRougeL() < MEMORISED_ROUGE_L) {
                log.printf(Locale.ROOT, "warning: the fine-tuned model reproduces forget01 with ROUGE-L %.3f, below "
                        + "%.1f: unlearning has little to remove%n", tuned.forgetRougeL(), MEMORISED_ROUGE_L);
            }
            rows.add(tuned);
            rows.add(refEval.row(referenceRatios));
            UnlearnInputs unlearnInputs = new UnlearnInputs(List.of(repeat(forgetDocs)), List.of(repeat(retainDocs)),
                    tok);
            for (String method : METHODS) {
                LlamaModel edited = unlearn(method, fineTuned, unlearnInputs);
                rows.add(evaluate(method, edited, tok, in).row(referenceRatios));
            }
            return new TofuBenchResult(config, settings, rows, phases);
        }
    }

    private record Inputs(List<TofuItem> forget, List<TofuItem> retain, List<TofuItem> realAuthors,
                          List<TofuItem> worldFacts) {
    }

    private Inputs readInputs() {
        return new Inputs(read("forget01.json", Integer.MAX_VALUE), read("retain_perturbed.json",
                config.retainQuestions()), read("real_authors_perturbed.json", config.evalQuestions()),
                read("world_facts_perturbed.json", config.evalQuestions()));
    }

    /** The first {@code limit} questions of a TOFU file; a missing file names the --data folder to fix. */
    private List<TofuItem> read(String file, int limit) {
        Path path = config.tofu(file);
        if (!Files.isRegularFile(path)) {
            throw new InputException(path, "not found; point --data at the folder holding tofu/ and models/");
        }
        List<TofuItem> items = TofuDataset.read(path);
        return items.subList(0, Math.min(limit, items.size()));
    }

    private static List<Document> documents(List<TofuItem> items) {
        return items.stream().map(i -> Document.questionAnswer(i.question(), i.answer())).toList();
    }

    /** The list {@code unlearnEpochs} times over: FALCON takes one pass per run, so epochs are passes given to it. */
    private List<Document> repeat(List<Document> docs) {
        List<Document> out = new ArrayList<>();
        for (int e = 0; e < config.unlearnEpochs(); e++) {
            out.addAll(docs);
        }
        return out;
    }

    /** The base model trained on {@code docs}, read from the cache when it holds this recipe's result. */
    private LlamaModel finetune(String phase, LlamaModel base, List<Document> docs, Tokenizer tok) {
        if (cache == null) {
            return train(phase, base, docs, tok);
        }
        String label = phase.replace(' ', '-');
        String recipe = FineTuneCache.recipe(config.modelFile("stories260K.bin"), config.finetune(), docs);
        Optional<LlamaModel> cached = phases.time(phase, () -> cache.find(label, recipe));
        if (cached.isPresent()) {
            log.printf(Locale.ROOT, "%s: read from %s, %.1f s%n", phase, cache.folder(label, recipe),
                    phases.seconds(phase));
            return cached.get();
        }
        LlamaModel model = train(phase, base, docs, tok);
        cache.put(label, recipe, model);
        return model;
    }

    private LlamaModel train(String phase, LlamaModel base, List<Document> docs, Tokenizer tok) {
        LlamaModel model = base.copy();
        TrainLog trained = phases.time(phase, () -> new Trainer(config.finetune())
                .train(model, List.copyOf(model.paramNames()), docs, tok, null));
        if (trained.stoppedEarly() != null) {
            throw new IllegalStateException(phase + " stopped: " + trained.stoppedEarly());
        }
        List<TrainLog.Step> steps = trained.steps();
        log.printf(Locale.ROOT, "%s: %d documents, %d steps, final loss %.4f, %.1f s%n", phase, docs.size(),
                steps.size(), steps.get(steps.size() - 1).loss(), phases.seconds(phase));
        return model;
    }

    private LlamaModel unlearn(String method, LlamaModel fineTuned, UnlearnInputs inputs) {
        LlamaModel model = fineTuned.copy();
        RepresentationRecipe recipe = method.equals("falcon") ? config.falcon()
                : method.equals("rmu") ? config.rmu() : null;
        EditedParameters edited = recipe != null
                ? EditedParameters.select(model, recipe.editedLayers(), List.of("mlp.down_proj"))
                : EditedParameters.select(model, allLayers(model), BLOCK_MATRICES);
        FalconSettings falcon = falconSettings();
        BaselineSettings baseline = baselineSettings(method);
        settings.put(method, method.equals("falcon") ? falcon : baseline);
        UnlearningMethod m = UnlearningMethods.create(method, falcon, baseline);
        String phase = "unlearn " + method;
        TrainingLog trained = phases.time(phase, () -> m.unlearn(model, edited, inputs, null));
        if (trained.stoppedEarly() != null) {
            log.printf("%s stopped early: %s%n", method, trained.stoppedEarly());
        }
        Map<String, Double> last = trained.steps().isEmpty() ? Map.of()
                : trained.steps().get(trained.steps().size() - 1).losses();
        log.printf(Locale.ROOT, "%s: %d steps on %s, last losses %s, %.1f s%n", method, trained.steps().size(),
                recipe != null ? "mlp.down_proj of layers " + recipe.editedLayers() : "every block matrix",
                last, phases.seconds(phase));
        return model;
    }

    private static List<Integer> allLayers(LlamaModel model) {
        List<Integer> layers = new ArrayList<>();
        for (int l = 0; l < model.config().numLayers(); l++) {
            layers.add(l);
        }
        return layers;
    }

    /** The official settings except the layers (stories260K has 5), the learning rate and alpha. */
    private FalconSettings falconSettings() {
        FalconSettings o = FalconSettings.official();
        RepresentationRecipe r = config.falcon();
        int maxLength = config.finetune().maxLength();
        return new FalconSettings(r.layer(), r.editedLayers(), o.params(), List.of(r.alpha()),
                List.of(r.steeringCoeff()), r.lr(), o.batchSize(), Integer.MAX_VALUE, o.optimizer(), config.seed(),
                true, true, ContrastiveForgetLoss.OFFICIAL_TEMPERATURE, GradientProjection.OFFICIAL_CONFLICT,
                GradientProjection.OFFICIAL_ALIGN, false, new int[] {maxLength, maxLength});
    }

    /**
     * RMU: {@link TofuBenchConfig#rmu}; GA, GradDiff and NPO: forget weight 1, GradDiff's retain
     * weight 1, plain NPO (no retain term) with beta 0.1.
     * The repeated forget list already holds every epoch, so each runs one pass over it.
     */
    private BaselineSettings baselineSettings(String method) {
        RepresentationRecipe rmu = config.rmu();
        double lr = method.equals("rmu") ? rmu.lr() : config.likelihoodLr();
        double retainWeight = method.equals("npo") ? 0.0 : 1.0;
        return new BaselineSettings(lr, 4, Integer.MAX_VALUE, 1, List.of(config.finetune().maxLength()),
                config.seed(), true, rmu.layer(), List.of(rmu.alpha()), List.of(rmu.steeringCoeff()),
                BaselineSettings.NPO_BETA, BaselineSettings.SIMNPO_BETA, BaselineSettings.SIMNPO_GAMMA, 1.0,
                retainWeight);
    }

    private TofuEvaluation evaluate(String name, LlamaModel model, Tokenizer tok, Inputs in) {
        String phase = "evaluate " + name;
        TofuEvaluation e = phases.time(phase, () -> {
            try (Engine.Guard g = Engine.noGrad()) {
                TofuEvaluator evaluator = new TofuEvaluator(new LogLikelihood(model, tok, true, 8),
                        config.maxNewTokens());
                return new TofuEvaluation(name, List.of(evaluator.evaluate("forget01", in.forget),
                        evaluator.evaluate("retain_perturbed", in.retain),
                        evaluator.evaluate("real_authors_perturbed", in.realAuthors),
                        evaluator.evaluate("world_facts_perturbed", in.worldFacts)));
            }
        });
        log.printf(Locale.ROOT, "%s: forget ROUGE-L %.3f, %.1f s%n", phase, e.forget().rougeL(),
                phases.seconds(phase));
        return e;
    }

    /** One model's four set results, before the reference's truth ratios turn them into a row. */
    private record TofuEvaluation(String name, List<TofuResult> sets) {

        TofuResult forget() {
            return sets.get(0);
        }

        TofuRow row(double[] referenceRatios) {
            return new TofuRow(name, forget().forgetQuality(referenceRatios),
                    TofuResult.modelUtility(sets).orElse(Double.NaN), sets);
        }
    }
}
