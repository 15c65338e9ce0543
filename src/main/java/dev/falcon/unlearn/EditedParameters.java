package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.engine.Tensor;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The weight matrices a run edits, with their original values to report the change. */
public final class EditedParameters {

    private final LlamaModel model;
    private final List<String> names;
    private final Map<String, Tensor> originals;

    private EditedParameters(LlamaModel model, List<String> names, Map<String, Tensor> originals) {
        this.model = model;
        this.names = names;
        this.originals = originals;
    }

    /** Edits {@code model} in place: model.layers.{l}.{suffix}.weight for every l and suffix. */
    public static EditedParameters select(LlamaModel model, List<Integer> layers, List<String> suffixes) {
        List<String> names = names(model, layers, suffixes);
        Map<String, Tensor> originals = new LinkedHashMap<>();
        names.forEach(n -> originals.put(n, model.param(n).detach().clone()));
        return new EditedParameters(model, names, originals);
    }

    /**
     * Edits a new model that shares every tensor of {@code base} except the selected ones, which are
     * copies: only what is edited is copied, and base is never modified.
     */
    public static EditedParameters copyOf(LlamaModel base, List<Integer> layers, List<String> suffixes) {
        List<String> names = names(base, layers, suffixes);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        base.paramNames().forEach(n -> weights.put(n, base.param(n)));
        Map<String, Tensor> originals = new LinkedHashMap<>();
        for (String n : names) {
            originals.put(n, base.param(n));
            weights.put(n, base.param(n).detach().clone());
        }
        return new EditedParameters(new LlamaModel(base.config(), weights), names, originals);
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
            out.put(n, model.param(n).detach().sub(originals.get(n)).norm().item());
        }
        return out;
    }
}
