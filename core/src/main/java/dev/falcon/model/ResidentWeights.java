package dev.falcon.model;

import dev.falcon.engine.DType;
import dev.falcon.engine.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Every tensor held in memory, in the compute dtype: models built in memory (random, fine-tuned, tests). */
public final class ResidentWeights implements Weights {

    private final Map<String, Tensor> tensors;
    private final List<BlockWeights> blocks;

    /** Fails with a message naming the first tensor the config needs that is missing or misshapen. */
    public ResidentWeights(LlamaConfig config, Map<String, Tensor> tensors) {
        ModelShapes.check(config, tensors);
        this.tensors = new LinkedHashMap<>(tensors);
        this.blocks = IntStream.range(0, config.numLayers()).mapToObj(l -> {
            Map<String, Tensor> block = new LinkedHashMap<>();
            ModelShapes.block(config).keySet().forEach(n -> block.put(n, tensors.get(LlamaModel.layerParam(l, n))));
            return BlockWeights.held(block);
        }).toList();
    }

    @Override
    public DType dtype() {
        return get(LlamaModel.EMBED).dtype();
    }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    @Override
    public BlockWeights block(int layer) {
        return blocks.get(layer);
    }
}
