package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight matrices a run edits: the model holds its own copies of exactly these ({@link LlamaModel#editable}),
 * the only tensors a run copies, and shares every other tensor with the model as it was before the edits
 * ({@link #original()}), which is also the run's frozen reference and what the change is measured against.
 */
public final class EditedParameters {

    private final LlamaModel model;
    private final LlamaModel original;
    private final List<String> names;

    private EditedParameters(LlamaModel model, LlamaModel original, List<String> names) {
        this.model = model;
        this.original = original;
        this.names = names;
    }

    /** Edits {@code model}: model.layers.{l}.{suffix}.weight for every l and suffix become copies of its own. */
    public static EditedParameters select(LlamaModel model, List<Integer> layers, List<String> suffixes) {
        List<String> names = names(model, layers, suffixes);
        LlamaModel original = model.snapshot();
        model.editable(names);
        return new EditedParameters(model, original, names);
    }

    /** Edits a new model that shares every tensor of {@code base} except the selected ones; base is never modified. */
    public static EditedParameters copyOf(LlamaModel base, List<Integer> layers, List<String> suffixes) {
        return select(base.snapshot(), layers, suffixes);
    }

    /** The one range check of a layer number: InputException unless the model has that layer. */
    public static void checkLayer(LlamaModel model, int layer) {
        int n = model.config().numLayers();
        if (layer < 0 || layer >= n) {
            throw new InputException("layer " + layer + " is out of range: the model has layers 0.." + (n - 1));
        }
    }

    private static List<String> names(LlamaModel model, List<Integer> layers, List<String> suffixes) {
        List<String> names = new ArrayList<>();
        for (int l : layers) {
            checkLayer(model, l);
            for (String s : suffixes) {
                String name = LlamaModel.layerParam(l, s.endsWith(".weight") || s.endsWith(".bias") ? s : s + ".weight");
                if (!model.paramNames().contains(name)) {
                    throw new InputException("parameter '" + s + "' not found in layer " + l
                            + " (e.g. mlp.down_proj, mlp.up_proj, self_attn.o_proj)");
                }
                names.add(name);
            }
        }
        return names;
    }

    /** The model as it was before the edits (sharing every tensor but the edited ones with {@link #model()}). */
    public LlamaModel original() {
        return original;
    }

    /** The model whose tensors are edited. */
    public LlamaModel model() {
        return model;
    }

    public List<String> names() {
        return names;
    }

    public List<Tensor> tensors() {
        return names.stream().map(model::param).toList();
    }

    /** Frobenius norm of each tensor's change since the start. */
    public Map<String, Double> changeNorms() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String n : names) {
            try (Engine.Scope scope = Engine.scope()) {
                out.put(n, model.param(n).detach().sub(original.param(n)).norm().item());
            }
        }
        return out;
    }
}
