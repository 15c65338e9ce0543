package dev.falcon.checkpoint;

import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.model.ModelShapes;
import dev.falcon.InputException;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;

import java.util.Arrays;

/**
 * Builds a {@link LlamaModel} on any {@link WeightSource}: the weights stay in the checkpoint's files
 * ({@link MappedWeights}), brought to the compute dtype block by block under a memory budget.
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /** No budget: every block stays once materialised, as a model fully in memory. */
    public static LlamaModel load(WeightSource source, DType compute) {
        return load(source, compute, Long.MAX_VALUE);
    }

    /** @param budget bytes the weights may hold in memory (see {@link MappedWeights}) */
    public static LlamaModel load(WeightSource source, DType compute, long budget) {
        return new LlamaModel(source.config(), weights(source, compute, budget));
    }

    /**
     * The compute dtype {@code --dtype auto} picks: BF16 when the checkpoint stores every weight of the model
     * in BF16, else F32 (F16 and mixed checkpoints too). BF16 computes faster than F32 on CPUs with AVX512-BF16
     * and agrees with it on predictions (README, "Compute dtype"); reading F16 in F32 costs nothing in accuracy.
     */
    public static DType autoDtype(WeightSource source) {
        boolean bf16 = ModelShapes.of(source.config()).keySet().stream()
                .allMatch(name -> source.names().contains(name) && source.info(name).dtype() == DType.BF16);
        return bf16 ? DType.BF16 : DType.F32;
    }

    /**
     * Checks every tensor's presence, shape and dtype against the config (the file's header only: the data is
     * read when a block is first materialised) and maps the weights.
     */
    public static MappedWeights weights(WeightSource source, DType compute, long budget) {
        LlamaConfig c = source.config();
        // A config that claims more layers than the file holds fails here, before a shape list of that length exists.
        String lastLayer = LlamaModel.layerParam(c.numLayers() - 1, "input_layernorm.weight");
        if (!source.names().contains(lastLayer)) {
            throw new InputException(source.path(), "missing tensor " + lastLayer + " (the config has "
                    + c.numLayers() + " layers)");
        }
        ModelShapes.of(c).forEach((name, shape) -> check(source, name, shape));
        return new MappedWeights(source, compute, budget);
    }

    private static void check(WeightSource source, String name, long[] expected) {
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
