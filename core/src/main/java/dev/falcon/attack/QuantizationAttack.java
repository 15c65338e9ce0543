package dev.falcon.attack;

import dev.falcon.engine.Tensor;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.LlamaModel;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Quantization as an attack (Zhang et al., "Catastrophic Failure of LLM Unlearning via Quantization",
 * ICLR 2025, arXiv 2410.16454): unlearning that moves weights by less than a quantization step is
 * undone by rounding them to the grid, with no training at all; in their measurements 4-bit models
 * recovered most of the forgotten knowledge while 8 bits was benign.
 *
 * <p>The budget is the format ({@link WeightQuantization.Format}; {@code full}: no quantization). A copy
 * of the model gets every linear weight of its blocks (attention q/k/v/o and MLP gate/up/down
 * projections) quantized and dequantized; embeddings, norms and the output head stay as they are,
 * as bitsandbytes leaves them.
 */
public final class QuantizationAttack extends FixedBudgetAttack {

    /** The budget of the model as given. */
    public static final String FULL = "full";

    private final QuantizeSettings settings;

    public QuantizationAttack(QuantizeSettings settings) {
        super("quantize", "bits", Budgets.after(FULL,
                Arrays.stream(WeightQuantization.Format.values()).map(WeightQuantization.Format::label)));
        this.settings = settings;
    }

    /** Each budget scored on its own, no details. */
    @Override
    public boolean pointsIndependent() {
        return true;
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        return AttackCurve.measure(this, inputs.questions(), budgets, b -> {
            LlamaModel model = b.equals(FULL) ? scorer.model() : quantized(scorer.model(), format(b));
            return new McqEvaluator(scorer.withModel(model)).score(inputs.questions(), inputs.form());
        }, budgetDone);
    }

    /** A copy of {@code model} with every block's linear weights quantized to {@code format} and back. */
    public LlamaModel quantized(LlamaModel model, WeightQuantization.Format format) {
        LlamaModel copy = model.snapshot();
        for (String name : linearWeights(model)) {
            Tensor w = model.param(name);
            long[] shape = w.shape();
            float[] q = WeightQuantization.roundTrip(w.toFloats(), (int) shape[0], (int) shape[1], format, settings);
            copy.setParam(name, Tensor.of(q, shape).to(w.dtype()));
        }
        return copy;
    }

    /** The attention and MLP projection weights of every block ({@code ..._proj.weight}). */
    static List<String> linearWeights(LlamaModel model) {
        return model.paramNames().stream().filter(n -> n.startsWith("model.layers.") && n.endsWith("_proj.weight"))
                .toList();
    }

    private static WeightQuantization.Format format(String label) {
        return Arrays.stream(WeightQuantization.Format.values()).filter(f -> f.label().equals(label)).findFirst()
                .orElseThrow();
    }
}
