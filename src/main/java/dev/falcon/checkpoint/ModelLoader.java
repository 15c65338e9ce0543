package dev.falcon.checkpoint;

import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;
import dev.falcon.InputException;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a {@link LlamaModel} from any {@link WeightSource}, converting to the compute dtype. */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static LlamaModel load(WeightSource source, DType compute) {
        LlamaConfig c = source.config();
        // A config that claims more layers than the file holds fails here, before a shape list of that length exists.
        String lastLayer = LlamaModel.layerParam(c.numLayers() - 1, "input_layernorm.weight");
        if (!source.names().contains(lastLayer)) {
            throw new InputException(source.path(), "missing tensor " + lastLayer + " (the config has "
                    + c.numLayers() + " layers)");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (Engine.Guard g = Engine.noGrad()) {
            for (Map.Entry<String, long[]> e : ModelShapes.of(c).entrySet()) {
                // a scope per tensor frees the stored-dtype copy once converted
                try (Engine.Scope s = Engine.scope()) {
                    weights.put(e.getKey(), s.keep(read(source, e.getKey(), e.getValue(), compute)));
                }
            }
        }
        return new LlamaModel(c, weights);
    }

    private static Tensor read(WeightSource source, String name, long[] expected, DType compute) {
        if (!source.names().contains(name)) {
            throw new InputException(source.path(), "missing tensor " + name);
        }
        TensorInfo info = source.info(name);
        if (!Arrays.equals(info.shape(), expected)) {
            throw new InputException(source.path(), name + " has shape " + Arrays.toString(info.shape())
                    + " but config.json implies " + Arrays.toString(expected));
        }
        if (info.dtype() != DType.F32 && info.dtype() != DType.F16 && info.dtype() != DType.BF16) {
            throw new InputException(source.path(), name + " has dtype " + info.dtype()
                    + "; weights must be F32, F16 or BF16");
        }
        Tensor stored = Tensor.fromBytes(source.bytes(name), info.dtype(), info.shape());
        // caught here, a bad weight names its tensor; later it only breaks an SVD or a loss
        if (!stored.allFinite()) {
            throw new InputException(source.fileOf(name), "tensor " + name + " holds NaN or infinite values");
        }
        Tensor t = stored.to(compute);
        if (source.interleavedRotary() && (name.endsWith("q_proj.weight") || name.endsWith("k_proj.weight"))) {
            long heads = expected[0] / source.config().headDim();
            t = toRotateHalf(t, heads);
        }
        return t;
    }

    /**
     * Reorders q/k projection rows from the interleaved rotary layout (pairs 2i, 2i+1 of each head)
     * to rotate-half (pairs i, i + d/2), the permutation Hugging Face applies to Meta checkpoints.
     */
    static Tensor toRotateHalf(Tensor w, long heads) {
        long rows = w.size(0);
        long cols = w.size(1);
        return w.view(heads, rows / heads / 2, 2, cols).transpose(1, 2).reshape(rows, cols).contiguous();
    }
}
