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
import dev.falcon.layers.LayerSelectionResult;
import dev.falcon.train.TrainLog;
import dev.falcon.unlearn.EditedParameters;
import dev.falcon.unlearn.FalconSettings;
import dev.falcon.unlearn.GradientProjection;
import dev.falcon.unlearn.LikelihoodSettings;
import dev.falcon.unlearn.Method;
import dev.falcon.unlearn.MethodSettings;
import dev.falcon.unlearn.RmuSettings;
import dev.falcon.unlearn.RunRecord;
import dev.falcon.unlearn.UnlearnInputs;
import dev.falcon.unlearn.UnlearnRun;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Unlearns the forget topics (FALCON by default, or a baseline) with {@link UnlearnRun} and writes the edited
 * checkpoint, its run record and the tokenizer. Options also take the official script's names (--layer_id,
 * --max_num_batches, ...); an option the chosen method does not read is refused.
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

    @Option(names = "--epochs", defaultValue = "1", description = "Passes over the forget batches (default 1).")
    int epochs;

    @Option(names = {"--retain-weight", "--retain_weight"},
            description = "graddiff, npo, simnpo: weight of the retain LM loss (default 1; 0: plain NPO / SimNPO).")
    Double retainWeight;

    @Option(names = "--beta", description = "npo: beta (default 0.1); simnpo: beta (default 2.5).")
    Double beta;

    @Option(names = "--gamma", description = "simnpo: reward margin gamma (default 0).")
    Double gamma;

    @Option(names = "--method", defaultValue = "falcon",
            description = "falcon (default), or a baseline: rmu, ga, graddiff, npo, simnpo.")
    String method;

    @Spec
    CommandSpec spec;

    /** Options only some methods read; naming one for another method is an input error. */
    private static final List<Map.Entry<String, Set<Method>>> ONLY_FOR = List.of(
            Map.entry("--optimizer", EnumSet.of(Method.FALCON)),
            Map.entry("--conflict-weights", EnumSet.of(Method.FALCON)),
            Map.entry("--align-weights", EnumSet.of(Method.FALCON)),
            Map.entry("--no-cache", EnumSet.of(Method.FALCON)),
            Map.entry("--paper-pov", EnumSet.of(Method.FALCON)),
            Map.entry("--alpha", EnumSet.of(Method.FALCON, Method.RMU)),
            Map.entry("--steering-coeff", EnumSet.of(Method.FALCON, Method.RMU)),
            Map.entry("--no-mask", EnumSet.of(Method.FALCON, Method.RMU)),
            Map.entry("--retain-weight", EnumSet.of(Method.GRAD_DIFF, Method.NPO, Method.SIM_NPO)),
            Map.entry("--beta", EnumSet.of(Method.NPO, Method.SIM_NPO)),
            Map.entry("--gamma", EnumSet.of(Method.SIM_NPO)));

    @Override
    public void run() {
        Method m = checkMethod();
        OutputFolder.check(out, modelOptions.model, overwrite);
        List<List<Document>> forgetDocs = InputFiles.read(forget);
        List<List<Document>> retainDocs = InputFiles.read(retain);
        if (retainDocs.size() != 1 && retainDocs.size() != forgetDocs.size()) {
            throw new InputException("give one retain file, or one per forget file (" + forgetDocs.size() + ")");
        }
        Path tokenizerPath = modelOptions.tokenizerPath();
        try (WeightSource source = modelOptions.openWeights(); Tokenizer tok = modelOptions.openTokenizer()) {
            OutputFolder.checkSpace(out, HfCheckpointWriter.tensorBytes(source.config(), source,
                    HfCheckpointWriter.storedDtype(source)));
            LlamaModel model = modelOptions.load(source);
            LayerSelectionResult selected = layer.equals("auto")
                    ? selection.select(model, tok, forgetDocs, retainDocs.get(0)) : null;
            int l = selected != null ? LayerSelectionOptions.selectedLayer(selected) : parseLayer(layer);
            EditedParameters.checkLayer(model, l);
            UnlearnRun run = new UnlearnRun(m, settings(m, l, paramNames(model)));
            RunRecord record = run.record(modelOptions.model.toString());
            forget.forEach(f -> record.input("forget", f));
            retain.forEach(f -> record.input("retain", f));
            if (selected != null) {
                System.err.println("layer selection: l* = " + l);
                record.layerSelection(selected);
            }
            DType stored = HfCheckpointWriter.storedDtype(source);
            long start = System.nanoTime();
            long[] unlearnedAt = new long[1]; // when the unlearning ended and the writing began
            UnlearnRun.Outcome outcome;
            try (ProgressBar bar = Progress.bar(m.label(), maxBatches)) {
                outcome = run.run(model, new UnlearnInputs(forgetDocs, retainDocs, tok), record, progress(bar),
                        o -> OutputFolder.write(out, dir -> {
                            unlearnedAt[0] = System.nanoTime();
                            HfCheckpointWriter.write(o.model(), source, Set.copyOf(o.edited()), stored,
                                    Map.of("unlearned_with", m.label()), dir);
                            TokenizerFiles.copy(tokenizerPath, dir);
                            record.write(dir.resolve("falcon-run.json"));
                        }));
            } catch (UnlearnRun.Stopped e) {
                throw new UnlearnRun.Stopped(e.getMessage() + "; " + out + " holds the last good weights");
            }
            // printed once the progress bar is closed (on its line it could not be read); falcon bench scale reads it
            System.err.printf(Locale.ROOT, "%s: %d steps in %.1f s%n", m.label(), outcome.log().steps().size(),
                    (unlearnedAt[0] - start) / 1e9);
            System.err.println("wrote " + out);
        }
    }

    /** Steps and the latest losses on the progress bar. */
    private static TrainLog.Listener progress(ProgressBar bar) {
        return (step, total) -> {
            bar.maxHint(total);
            bar.step();
            StringBuilder losses = new StringBuilder();
            step.losses().forEach((k, v) -> losses.append(String.format(" %s %.4f", k, v)));
            bar.setExtraMessage(losses.toString());
        };
    }

    /** The --method, once no option it does not read is given (falcon sweep checks each run's before any runs). */
    Method checkMethod() {
        Method m = Method.parse(method);
        refuseOptionsOtherMethodsRead(m);
        return m;
    }

    private void refuseOptionsOtherMethodsRead(Method m) {
        for (Map.Entry<String, Set<Method>> e : ONLY_FOR) {
            if (!e.getValue().contains(m) && spec.commandLine().getParseResult().hasMatchedOption(e.getKey())) {
                throw new InputException(e.getKey() + " does not apply to --method " + m + "; it is read by "
                        + e.getValue().stream().map(Method::label).toList());
            }
        }
    }

    /** The chosen method's settings from the options; what they do not set keeps the method's defaults. */
    private MethodSettings settings(Method m, int l, List<String> editedParams) {
        List<Integer> edited = layers != null ? layers : FalconSettings.officialLayers(l);
        return switch (m) {
            case FALCON -> FalconSettings.builder().layer(l).layers(edited).params(editedParams).alpha(alpha)
                    .steeringCoeff(steeringCoeff).lr(lr).batchSize(batchSize).maxBatches(maxBatches).epochs(epochs)
                    .optimizer(optimizer).seed(seed).maskPadding(!noMask).cache(!noCache)
                    .conflictWeights(pair(conflictWeights, "--conflict-weights"))
                    .alignWeights(pair(alignWeights, "--align-weights")).paperPov(paperPov).build();
            case RMU -> RmuSettings.builder().layer(l).layers(edited).params(editedParams).alpha(alpha)
                    .steeringCoeff(steeringCoeff).lr(lr).batchSize(batchSize).maxBatches(maxBatches).epochs(epochs)
                    .seed(seed).maskPadding(!noMask).build();
            case GA, GRAD_DIFF, NPO, SIM_NPO -> likelihood(m, edited, editedParams);
        };
    }

    private LikelihoodSettings likelihood(Method m, List<Integer> edited, List<String> editedParams) {
        LikelihoodSettings d = LikelihoodSettings.paperDefaults();
        LikelihoodSettings.Builder b = LikelihoodSettings.builder().layers(edited).params(editedParams).lr(lr)
                .batchSize(batchSize).maxBatches(maxBatches).epochs(epochs).seed(seed)
                .npoBeta(m == Method.NPO && beta != null ? beta : d.npoBeta())
                .simNpo(m == Method.SIM_NPO && beta != null ? beta : d.simNpoBeta(),
                        gamma != null ? gamma : d.simNpoGamma());
        return retainWeight != null ? b.retainWeight(retainWeight).build() : b.build();
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
