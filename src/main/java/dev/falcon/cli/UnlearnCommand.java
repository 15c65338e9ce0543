package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.engine.DType;
import dev.falcon.checkpoint.HfCheckpointWriter;
import dev.falcon.io.OutputFolder;
import dev.falcon.io.Progress;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.tokenizer.TokenizerFiles;
import dev.falcon.checkpoint.WeightSource;
import dev.falcon.model.LlamaModel;
import dev.falcon.unlearn.BaselineSettings;
import dev.falcon.unlearn.EditedParameters;
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.GradientProjection;
import dev.falcon.unlearn.TrainingLog;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearningMethod;
import dev.falcon.unlearn.UnlearningMethods;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Unlearns the forget topics (FALCON by default, or a baseline) and writes the edited checkpoint, its run record and the
 * tokenizer. Options also take the official script's names (--layer_id, --max_num_batches, ...).
 */
@Command(name = "unlearn", mixinStandardHelpOptions = true,
        description = "Remove the knowledge in the forget files, keeping what the retain files hold "
                + "(FALCON, or a baseline with --method).")
final class UnlearnCommand implements Runnable {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    LayerSelectionOptions selection;

    @Option(names = "--forget", required = true, split = ",", description = "Forget file(s), one topic each.")
    List<Path> forget;

    @Option(names = "--retain", required = true, split = ",",
            description = "Retain file(s): one per forget topic, or one for all.")
    List<Path> retain;

    @Option(names = "--out", required = true, description = "Output model folder.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing output folder.")
    boolean overwrite;

    @Option(names = {"--layer", "--layer_id"}, defaultValue = "7",
            description = "Layer l* whose activations are compared, or 'auto' to select it by MI (default 7).")
    String layer;

    @Option(names = {"--layers", "--layer_ids"}, split = ",",
            description = "Layers whose matrices are edited (default l*-2, l*-1, l*).")
    List<Integer> layers;

    @Option(names = {"--params", "--param_ids"}, split = ",", defaultValue = "mlp.down_proj",
            description = "Matrices edited in each layer, by name (mlp.down_proj) or by the official index (6).")
    List<String> params;

    @Option(names = "--alpha", split = ",", defaultValue = "100", description = "Retention weight per topic.")
    List<Double> alpha;

    @Option(names = {"--steering-coeff", "--steering_coeffs"}, split = ",", defaultValue = "20",
            description = "POV scale per topic.")
    List<Double> steeringCoeff;

    @Option(names = "--lr", defaultValue = "5e-5")
    double lr;

    @Option(names = {"--batch-size", "--batch_size"}, defaultValue = "4")
    int batchSize;

    @Option(names = {"--max-batches", "--max_num_batches"}, defaultValue = "80")
    int maxBatches;

    @Option(names = "--optimizer", defaultValue = "sophiag", description = "sophiag (official) or adamw.")
    String optimizer;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = {"--conflict-weights", "--conflict_weights"}, split = ",", defaultValue = "0.8,1.2")
    List<Double> conflictWeights;

    @Option(names = {"--align-weights", "--align_weights"}, split = ",", defaultValue = "0.1,1.9")
    List<Double> alignWeights;

    @Option(names = "--no-mask", description = "Average losses over padding too, as the official code does.")
    boolean noMask;

    @Option(names = "--no-cache", description = "The official computation: two model copies, full forward passes.")
    boolean noCache;

    @Option(names = "--paper-pov", description = "The paper's principal offset vector instead of the official code's.")
    boolean paperPov;

    @Option(names = "--method", defaultValue = "falcon",
            description = "falcon (default), or a baseline: rmu, ga, graddiff, npo, simnpo.")
    String method;

    @Override
    public void run() {
        String methodName = UnlearningMethods.check(method);
        OutputFolder.check(out, modelOptions.model, overwrite);
        List<List<Document>> forgetDocs = InputFiles.read(forget);
        List<List<Document>> retainDocs = InputFiles.read(retain);
        if (retainDocs.size() != 1 && retainDocs.size() != forgetDocs.size()) {
            throw new InputException("give one retain file, or one per forget file (" + forgetDocs.size() + ")");
        }
        Path tokenizerPath = modelOptions.tokenizerPath();
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer()) {
            LlamaModel model = modelOptions.load(source);
            RunRecord record = new RunRecord(methodName, seed, modelOptions.model);
            forget.forEach(f -> record.input("forget", f));
            retain.forEach(f -> record.input("retain", f));
            FalconSettings settings = settings(model, tok, forgetDocs, retainDocs, record);
            BaselineSettings baseline = baseline(settings);
            // the settings the chosen method reads; the edited tensors are in the log either way
            record.config(methodName.equals(UnlearningMethods.NAMES.get(0)) ? settings : baseline);
            EditedParameters edited = EditedParameters.select(model, settings.layers(), settings.params());
            UnlearningMethod m = UnlearningMethods.create(methodName, settings, baseline);
            TrainingLog log = train(m, model, edited, new UnlearnInputs(forgetDocs, retainDocs, tok), settings);
            record.log(log, edited.changeNorms());
            DType stored = HfCheckpointWriter.storedDtype(source);
            OutputFolder.write(out, dir -> {
                HfCheckpointWriter.write(model, source, Set.copyOf(edited.names()),
                        stored, Map.of("unlearned_with", methodName), dir);
                TokenizerFiles.copy(tokenizerPath, dir);
                record.write(dir.resolve("falcon-run.json"));
            });
            System.err.println("wrote " + out);
            if (log.stoppedEarly() != null) {
                throw new IllegalStateException("training stopped: " + log.stoppedEarly() + "; " + out
                        + " holds the last good weights");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrainingLog train(UnlearningMethod m, LlamaModel model, EditedParameters edited,
                                     UnlearnInputs inputs, FalconSettings s) {
        long start = System.nanoTime();
        TrainingLog log;
        try (ProgressBar bar = Progress.bar(m.name(), s.maxBatches())) {
            log = m.unlearn(model, edited, inputs, (step, total) -> {
                bar.maxHint(total);
                bar.step();
                StringBuilder losses = new StringBuilder();
                step.losses().forEach((k, v) -> losses.append(String.format(" %s %.4f", k, v)));
                bar.setExtraMessage(losses.toString());
            });
        }
        // the unlearning alone, without loading and writing; falcon bench scale reads this line
        System.err.printf(Locale.ROOT, "%s: %d steps in %.1f s%n", m.name(), log.steps().size(),
                (System.nanoTime() - start) / 1e9);
        return log;
    }

    /** Baselines share the common options; their method-specific constants keep their defaults. */
    private static BaselineSettings baseline(FalconSettings s) {
        BaselineSettings d = BaselineSettings.defaults();
        return new BaselineSettings(s.lr(), s.batchSize(), s.maxBatches(), d.epochs(),
                List.of(s.maxLengths()[0], s.maxLengths()[1]), s.seed(), s.maskPadding(), s.layer(), s.alpha(),
                s.steeringCoeff(), d.npoBeta(), d.simNpoBeta(), d.simNpoGamma(), d.forgetWeight(), d.retainWeight());
    }

    private FalconSettings settings(LlamaModel model, Tokenizer tok, List<List<Document>> forgetDocs,
                                    List<List<Document>> retainDocs, RunRecord record) throws IOException {
        int l;
        if (layer.equals("auto")) {
            var result = selection.select(model, tok, forgetDocs, retainDocs.get(0));
            l = LayerSelectionOptions.selectedLayer(result);
            record.layerSelection(result);
            System.err.println("layer selection: l* = " + l);
        } else {
            l = parseLayer(layer);
        }
        int n = model.config().numLayers();
        if (l < 0 || l >= n) {
            throw new InputException("--layer " + l + " is out of range: the model has layers 0.." + (n - 1));
        }
        List<Integer> edited = layers != null ? layers : FalconSettings.officialLayers(l);
        return new FalconSettings(l, edited, paramNames(model), alpha, steeringCoeff, lr, batchSize, maxBatches,
                optimizer, seed, !noMask, !noCache, 0.7, pair(conflictWeights, "--conflict-weights"),
                pair(alignWeights, "--align-weights"), paperPov, new int[] {512, 768});
    }

    private static int parseLayer(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InputException("--layer must be a layer number or 'auto', got '" + text + "'");
        }
    }

    /** Official param_ids index the parameters of one block in definition order (6 = mlp.down_proj). */
    private List<String> paramNames(LlamaModel model) {
        List<String> blockParams = model.paramNames().stream().filter(n -> n.startsWith("model.layers.0."))
                .map(n -> n.substring("model.layers.0.".length())).toList();
        List<String> official = OfficialParamOrder.of(blockParams);
        List<String> out = new ArrayList<>();
        for (String p : params) {
            if (p.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(p);
                if (i >= official.size()) {
                    throw new InputException("--param_ids " + i + " is out of range: a block has " + official.size()
                            + " parameters " + official);
                }
                out.add(official.get(i));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static GradientProjection.Weights pair(List<Double> v, String option) {
        if (v.size() != 2) {
            throw new InputException(option + " takes two numbers (forget, retain), got " + v);
        }
        return new GradientProjection.Weights(v.get(0), v.get(1));
    }
}
