package dev.falcon.layers;

import dev.falcon.data.Document;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The activations layer selection compares: for each sample (one unpadded sequence at a time, as
 * the official script runs them), the output of every block at the sample's last token.
 */
public final class LastTokenActivations {

    private LastTokenActivations() {
    }

    /** result[layer][sample] = a D-vector; the first {@code samples} documents are used. */
    public static double[][][] collect(LlamaModel model, Tokenizer tok, List<Document> docs, int samples,
                                       int maxLength) {
        int n = Math.min(samples, docs.size());
        int layers = model.config().numLayers();
        double[][][] out = new double[layers][n][];
        for (int i = 0; i < n; i++) {
            int[] ids = tok.encode(docs.get(i).text(), true, false);
            ids = Arrays.copyOf(ids, Math.min(ids.length, maxLength));
            try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
                List<Tensor> hidden = model.hiddenStates(Batch.single(ids));
                for (int l = 0; l < layers; l++) {
                    out[l][i] = hidden.get(l).select(0, 0).select(0, ids.length - 1).toDoubles();
                }
            }
        }
        return out;
    }

    /**
     * What layer selection compares, per layer: the last-token activations of the first
     * {@code samples} documents of each forget domain and of the retain set.
     */
    public static Map<Integer, LayerActivations> byLayer(LlamaModel model, Tokenizer tok, List<List<Document>> forget,
                                                         List<Document> retain, int samples, int maxLength) {
        List<double[][][]> f = new ArrayList<>();
        for (List<Document> docs : forget) {
            f.add(collect(model, tok, docs, samples, maxLength));
        }
        double[][][] r = collect(model, tok, retain, samples, maxLength);
        Map<Integer, LayerActivations> layers = new LinkedHashMap<>();
        for (int l = 0; l < r.length; l++) {
            List<double[][]> perDomain = new ArrayList<>();
            for (double[][][] domain : f) {
                perDomain.add(domain[l]);
            }
            layers.put(l, new LayerActivations(perDomain, r[l]));
        }
        return layers;
    }
}
