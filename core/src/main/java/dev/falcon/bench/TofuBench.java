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
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.LikelihoodSettings;
import dev.falcon.unlearn.MaxLengths;
import dev.falcon.unlearn.Method;
import dev.falcon.unlearn.MethodSettings;
import dev.falcon.unlearn.RmuSettings;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearnRun;

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
    public static final List<Method> METHODS = List.of(Method.FALCON, Method.RMU, Method.GA, Method.GRAD_DIFF,
            Method.NPO);
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
            UnlearnInputs unlearnInputs = new UnlearnInputs(List.of(forgetDocs), List.of(retainDocs), tok);
            for (Method method : METHODS) {
                LlamaModel edited = unlearn(method, fineTuned, unlearnInputs);
                rows.add(evaluate(method.label(), edited, tok, in).row(referenceRatios));
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
        LlamaModel model = base.snapshot();
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

    /** The method's run on the fine-tuned model (which stays as it is); a run that stops early fails the bench. */
    private LlamaModel unlearn(Method method, LlamaModel fineTuned, UnlearnInputs inputs) {
        MethodSettings methodSettings = settings(method, fineTuned.config().numLayers());
        settings.put(method.label(), methodSettings);
        UnlearnRun run = new UnlearnRun(method, methodSettings);
        String phase = "unlearn " + method;
        UnlearnRun.Outcome o = phases.time(phase, () -> run.run(fineTuned, inputs, run.record("fine-tuned stories260K"),
                null, outcome -> { }));
        List<TrainLog.Step> steps = o.log().steps();
        log.printf(Locale.ROOT, "%s: %d steps on %s of layers %s, last losses %s, %.1f s%n", method, steps.size(),
                methodSettings.params(), methodSettings.layers(), steps.get(steps.size() - 1).losses(),
                phases.seconds(phase));
        return o.model();
    }

    private static List<Integer> allLayers(int numLayers) {
        List<Integer> layers = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            layers.add(l);
        }
        return layers;
    }

    /**
     * FALCON: the official settings except the layers (stories260K has 5), the learning rate, alpha and
     * c ({@link TofuBenchConfig#falcon}); RMU: {@link TofuBenchConfig#rmu} with AdamW; GA, GradDiff and
     * NPO: every block matrix, forget weight 1, GradDiff's retain weight 1, plain NPO (no retain term)
     * with beta 0.1. All run {@link TofuBenchConfig#unlearnEpochs} epochs of batches of 4, cut at the
     * fine-tuning length.
     */
    private MethodSettings settings(Method method, int numLayers) {
        MaxLengths lengths = MaxLengths.all(config.finetune().maxLength());
        RepresentationRecipe f = config.falcon();
        RepresentationRecipe r = config.rmu();
        return switch (method) {
            case FALCON -> FalconSettings.builder().layer(f.layer()).layers(f.editedLayers())
                    .alpha(List.of(f.alpha())).steeringCoeff(List.of(f.steeringCoeff())).lr(f.lr())
                    .maxBatches(Integer.MAX_VALUE).epochs(config.unlearnEpochs()).seed(config.seed())
                    .maxLengths(lengths).build();
            case RMU -> RmuSettings.builder().layer(r.layer()).layers(r.editedLayers()).alpha(List.of(r.alpha()))
                    .steeringCoeff(List.of(r.steeringCoeff())).lr(r.lr()).maxBatches(Integer.MAX_VALUE)
                    .epochs(config.unlearnEpochs()).seed(config.seed()).maxLengths(lengths).build();
            case GA, GRAD_DIFF, NPO, SIM_NPO -> LikelihoodSettings.builder().layers(allLayers(numLayers))
                    .params(BLOCK_MATRICES).lr(config.likelihoodLr()).maxBatches(Integer.MAX_VALUE)
                    .epochs(config.unlearnEpochs()).seed(config.seed()).maxLengths(lengths)
                    .retainWeight(method == Method.NPO ? 0 : 1).build();
        };
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
