package dev.falcon.demo;

import dev.falcon.data.Document;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.demo.world.WorldDomain;
import dev.falcon.demo.world.WorldTokenizerJson;
import dev.falcon.io.AtomicFiles;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.Tokenizers;
import dev.falcon.layers.LastTokenActivations;
import dev.falcon.layers.LayerSelection;
import dev.falcon.layers.LayerScore;
import dev.falcon.layers.LayerSelectionResult;
import dev.falcon.layers.OfficialKdeEstimator;
import dev.falcon.model.LlamaModel;
import dev.falcon.audit.AuditReport;
import dev.falcon.io.OutputFolder;
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.LikelihoodSettings;
import dev.falcon.unlearn.MaxLengths;
import dev.falcon.unlearn.Method;
import dev.falcon.unlearn.RmuSettings;
import dev.falcon.unlearn.RunRecord;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearnRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The offline demo end to end: a generated world, a small Llama trained on it (or read from the
 * cache), the layer chosen by mutual information, FALCON, RMU and NPO each unlearning the forget domains
 * from that model (each {@link UnlearnRun} edits its own copies of the edited tensors and writes its
 * run record, falcon-run.json, rmu-run.json and npo-run.json), every model scored on every domain and
 * written under models/, and, unless switched off, {@link DemoAudit} auditing every unlearned model.
 */
public final class DemoPipeline {

    /** Passes over the forget and retain sentences during unlearning: one is too few steps for a model this small. */
    private static final int EPOCHS = 6;

    /** The matrix every method edits in each block, as in the official scripts. */
    private static final List<String> EDITED = List.of("mlp.down_proj");

    /** The folders under the output folder: the models, the audit's input files. */
    public static final String MODELS = "models";
    public static final String AUDIT_INPUTS = "audit-inputs";
    /** The base model's folder under {@link #MODELS}. */
    public static final String BASE = "base";

    private final DemoSettings s;
    private final Path cacheRoot;
    private final DemoListener listener;
    private final boolean audit;

    /** {@code audit}: whether every unlearned model is audited (the longest part of a first run). */
    public DemoPipeline(DemoSettings settings, Path cacheRoot, DemoListener listener, boolean audit) {
        this.s = settings;
        this.cacheRoot = cacheRoot;
        this.listener = listener;
        this.audit = audit;
    }

    /**
     * Runs everything and writes into {@code out} tokenizer.json, results.json, report.html, every model as
     * a Hugging Face folder under models/ and, with the audit, its inputs under audit-inputs/ and each
     * method's audit.json and audit.html under audit-NAME/.
     */
    public DemoResults run(Path out) throws IOException {
        Files.createDirectories(out);
        FactWorld world = FactWorld.generate(s.world());
        Path tokenizerJson = out.resolve("tokenizer.json");
        WorldTokenizerJson.write(world, tokenizerJson);
        try (Tokenizer tok = Tokenizers.load(tokenizerJson)) {
            BaseModel base = BaseModel.obtain(world, tok, s, cacheRoot, listener);
            Path baseFolder = writeModel(base.model(), world, out, BASE);
            DomainScores baseScores = DomainScores.of(base.model(), tok, world, s.form());
            List<List<Document>> forget = forgetTopics(world);
            List<Document> retain = retainText(world);
            LayerSelectionResult layers = selectLayer(base.model(), tok, forget, retain);
            int layer = s.layer() == DemoSettings.MI_LAYER
                    ? lowestMi(layers, Math.min(2, base.model().config().numLayers() - 1)) : s.layer();
            UnlearnInputs inputs = new UnlearnInputs(forget, List.of(retain), tok);
            List<Unlearned> runs = List.of(
                    unlearn(new UnlearnRun(Method.FALCON, falconSettings(layer)), s.falcon(), base, world, inputs, out),
                    unlearn(new UnlearnRun(Method.RMU, rmuSettings(layer)), s.rmu(), base, world, inputs, out),
                    unlearn(new UnlearnRun(Method.NPO, npoSettings(layer)), s.npo(), base, world, inputs, out));
            Optional<DemoAudit> auditor = audit ? Optional.of(DemoAudit.prepare(world, tok, s, base.model(),
                    baseFolder, out.resolve(AUDIT_INPUTS), listener)) : Optional.empty();
            List<MethodResult> methods = new ArrayList<>();
            for (Unlearned u : runs) {
                methods.add(u.result(auditor.isEmpty() ? Optional.empty()
                        : Optional.of(auditor.get().run(u.model(), u.folder(), out.resolve("audit-" + u.name())))));
            }
            Optional<String> command = auditor.map(a -> a.command(runs.get(0).folder(), out.resolve("audit-by-hand")));
            DemoResults results = new DemoResults(world, base, baseScores, s.form(), layers, layer, methods, command);
            AtomicFiles.writeString(out.resolve("results.json"), results.toJson().toPrettyString() + "\n");
            DemoReport.write(results, out.resolve("report.html"));
            return results;
        }
    }

    /** An unlearned model in memory and in its folder, with what the demo measured on it before the audit. */
    private record Unlearned(LlamaModel model, Path folder, String name, DomainScores scores,
                             Map<String, List<Double>> losses, double seconds, String note) {

        MethodResult result(Optional<AuditReport> audit) {
            return new MethodResult(name, scores, losses, seconds, note, audit);
        }
    }

    private static Path writeModel(LlamaModel model, FactWorld world, Path out, String name) throws IOException {
        Path folder = out.resolve(MODELS).resolve(name);
        OutputFolder.write(folder, dir -> BaseModel.writeModel(model, world, dir));
        return folder;
    }

    /**
     * The MI argmin among layers from {@code lowest} on (2 where the model is deep enough), so that
     * FALCON's l*-2..l* are three layers of this shallow model, as they are of a 32-layer one.
     */
    private static int lowestMi(LayerSelectionResult layers, int lowest) {
        return layers.layers().stream().filter(l -> !l.isFailed() && l.layer() >= lowest)
                .min(java.util.Comparator.comparingDouble(LayerScore::mi)).map(LayerScore::layer)
                .orElseThrow(() -> new IllegalStateException("MI layer selection failed on every layer from " + lowest + " on"));
    }

    private static List<List<Document>> forgetTopics(FactWorld world) {
        return world.domains().stream().filter(WorldDomain::forget)
                .map(d -> world.domainText(d.name()).stream().map(Document::plain).toList()).toList();
    }

    private static List<Document> retainText(FactWorld world) {
        return world.domains().stream().filter(d -> !d.forget())
                .flatMap(d -> world.domainText(d.name()).stream()).map(Document::plain).toList();
    }

    private LayerSelectionResult selectLayer(LlamaModel model, Tokenizer tok, List<List<Document>> forget,
                                             List<Document> retain) {
        listener.phase("layers", 1);
        var activations = LastTokenActivations.byLayer(model, tok, forget, retain, s.samples(),
                model.config().maxPositionEmbeddings());
        LayerSelectionResult result = new LayerSelection(new OfficialKdeEstimator()).selectLayers(activations);
        listener.step("");
        listener.done();
        return result;
    }

    /**
     * FALCON as the official code runs it, but with AdamW: SophiaG's official lr (5e-5) barely moves
     * a model this small within the demo's few hundred steps.
     */
    private FalconSettings falconSettings(int layer) {
        DemoSettings.MethodTuning t = s.falcon();
        return FalconSettings.builder().layer(layer).params(EDITED).alpha(List.of(t.alpha()))
                .steeringCoeff(List.of(t.steeringCoeff())).lr(t.lr()).batchSize(t.batchSize()).maxBatches(t.steps())
                .epochs(EPOCHS).optimizer("adamw").seed(s.seed())
                .maxLengths(MaxLengths.all(s.model().maxPositionEmbeddings())).build();
    }

    /** RMU on the same layers and data. */
    private RmuSettings rmuSettings(int layer) {
        DemoSettings.MethodTuning t = s.rmu();
        return RmuSettings.builder().layer(layer).params(EDITED).alpha(List.of(t.alpha()))
                .steeringCoeff(List.of(t.steeringCoeff())).lr(t.lr()).batchSize(t.batchSize()).maxBatches(t.steps())
                .epochs(EPOCHS).seed(s.seed()).maxLengths(MaxLengths.all(s.model().maxPositionEmbeddings())).build();
    }

    /** NPO+RT editing the same matrices of the same layers, on the same data. */
    private LikelihoodSettings npoSettings(int layer) {
        DemoSettings.MethodTuning t = s.npo();
        return LikelihoodSettings.builder().layers(FalconSettings.officialLayers(layer)).params(EDITED).lr(t.lr())
                .batchSize(t.batchSize()).maxBatches(t.steps()).epochs(EPOCHS).seed(s.seed())
                .maxLengths(MaxLengths.all(s.model().maxPositionEmbeddings())).retainWeight(t.alpha())
                .npoBeta(t.steeringCoeff()).build();
    }

    /** Unlearns with AdamW, writes the run record and the model into {@code out}, then scores the model. */
    private Unlearned unlearn(UnlearnRun run, DemoSettings.MethodTuning t, BaseModel base, FactWorld world,
                              UnlearnInputs inputs, Path out) throws IOException {
        String name = run.method().label();
        Map<String, List<Double>> losses = new LinkedHashMap<>();
        listener.phase(name, t.steps());
        long start = System.nanoTime();
        RunRecord record = run.record("the demo's base model, seed " + s.seed());
        UnlearnRun.Outcome o = run.run(base.model(), inputs, record, (step, total) -> {
            step.losses().forEach((loss, v) -> losses.computeIfAbsent(loss, k -> new ArrayList<>()).add(v));
            listener.step(lossText(step.losses()));
        }, outcome -> {
            listener.done();
            outcome.record().write(out.resolve(name + "-run.json"));
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        String knobs = run.method() == Method.NPO ? String.format("retain weight %g, beta %g", t.alpha(),
                t.steeringCoeff()) : String.format("alpha %g, c %g", t.alpha(), t.steeringCoeff());
        String note = String.format("AdamW, lr %g, %d steps of %d sentences, %s, layers %s, %s", t.lr(),
                o.log().steps().size(), t.batchSize(), knobs, run.settings().layers(), EDITED);
        DomainScores scores = DomainScores.of(o.model(), inputs.tokenizer(), world, s.form());
        return new Unlearned(o.model(), writeModel(o.model(), world, out, name), name, scores, losses, seconds, note);
    }

    private static String lossText(Map<String, Double> losses) {
        StringBuilder out = new StringBuilder();
        losses.forEach((name, v) -> out.append(String.format(" %s %.4f", name, v)));
        return out.toString();
    }
}
