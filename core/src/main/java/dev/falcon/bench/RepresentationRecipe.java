package dev.falcon.bench;

import java.util.List;

/**
 * How the bench runs FALCON or RMU, the two methods that edit activations at one layer.
 *
 * @param layer         l*: the layer whose activations the losses read
 * @param editedLayers  the blocks whose MLP down projections are edited (all at or below l*)
 * @param lr            learning rate (FALCON: SophiaG, as the official code; RMU: AdamW)
 * @param alpha         retention weight
 * @param steeringCoeff RMU: the norm c of the control vector c * u; FALCON: the POV's scale, which its
 *                      cosine-based loss ignores
 */
public record RepresentationRecipe(int layer, List<Integer> editedLayers, double lr, double alpha,
                                   double steeringCoeff) {

    public RepresentationRecipe {
        // FALCON and RMU check the layers themselves when they run.
        editedLayers = List.copyOf(editedLayers);
    }
}
