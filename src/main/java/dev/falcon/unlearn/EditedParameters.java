package dev.falcon.unlearn;

import dev.falcon.InputException;
import dev.falcon.engine.Tensor;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The weight matrices a run edits, with copies of their original values to report the change. */
public final class EditedParameters {

    private final LlamaModel model;
    private final List<String> names;
    private final Map<String, Tensor> originals = new LinkedHashMap<>();

    private EditedParameters(LlamaModel model, List<String> names) {
        this.model = model;
        this.names = names;
        for (String n : names) {
            originals.put(n, model.param(n).detach().clone());
        }
    }

    /** model.layers.{l}.{suffix}.weight for every l and suffix; fails on names the model lacks. */
    public static EditedParameters select(LlamaModel model, List<Integer> layers, List<String> suffixes) {
        int n = model.config().numLayers();
        List<String> names = new ArrayList<>();
        for (int l : layers) {
            if (l < 0 || l >= n) {
                throw new InputException("layer " + l + " is out of range: the model has layers 0.." + (n - 1));
            }
            for (String s : suffixes) {
                String name = LlamaModel.layerParam(l, s.endsWith(".weight") || s.endsWith(".bias") ? s : s + ".weight");
                if (!model.paramNames().contains(name)) {
                    throw new InputException("parameter '" + s + "' not found in layer " + l
                            + " (e.g. mlp.down_proj, mlp.up_proj, self_attn.o_proj)");
                }
                names.add(name);
            }
        }
        return new EditedParameters(model, names);
    }

    public List<String> names() {
        return names;
    }

    public List<Tensor> tensors() {
        return names.stream().map(model::param).toList();
    }

    /** Turns gradient tracking on for exactly these tensors. */
    public void track(boolean on) {
        tensors().forEach(t -> t.requiresGrad(on));
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
