package dev.falcon.model;

/**
 * Shape and numerics of a Llama-family decoder (Llama, Mistral, Qwen2 share it; Qwen2 adds biases on
 * the q/k/v projections). Field names follow Hugging Face's config.json.
 *
 * @param architecture       "LlamaForCausalLM", "MistralForCausalLM" or "Qwen2ForCausalLM"
 * @param headDim            per-head size; usually hiddenSize / numHeads
 * @param ropeScaling        llama3-style frequency scaling, or null
 * @param attentionBias      q/k/v projections carry a bias (Qwen2; Llama's attention_bias, which adds one on
 *                           o_proj too, see {@link #outputBias})
 * @param torchDtype         dtype named by config.json ("float32", "bfloat16", "float16")
 * @param slidingWindow      Mistral's sliding window: a query sees itself and the slidingWindow - 1 tokens
 *                           before it; 0 = every earlier token
 */
public record LlamaConfig(
        String architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int maxPositionEmbeddings,
        String torchDtype,
        int bosTokenId,
        int eosTokenId,
        int slidingWindow) {

    /** Llama 3.1 "llama3" rope scaling: low frequencies stretched by factor, a smooth band between. */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
    }

    /** Llama's attention_bias puts a bias on o_proj as well; Qwen2's biases are on q, k and v only. */
    public boolean outputBias() {
        return attentionBias && architecture.equals("LlamaForCausalLM");
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** The same config with another vocabulary size. */
    public LlamaConfig withVocabSize(int vocab) {
        return new LlamaConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocab, rmsNormEps, ropeTheta, ropeScaling, tieWordEmbeddings, attentionBias, maxPositionEmbeddings,
                torchDtype, bosTokenId, eosTokenId, slidingWindow);
    }

    /** The same config with another stored dtype ("float32", "bfloat16", "float16"). */
    public LlamaConfig withTorchDtype(String dtype) {
        return new LlamaConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, rmsNormEps, ropeTheta, ropeScaling, tieWordEmbeddings, attentionBias, maxPositionEmbeddings,
                dtype, bosTokenId, eosTokenId, slidingWindow);
    }
}
