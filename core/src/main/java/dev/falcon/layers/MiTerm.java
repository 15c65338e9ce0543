package dev.falcon.layers;

/**
 * One weighted mutual-information term of a layer score.
 *
 * @param name the pair, e.g. "I(F1;R)" or "I(F1;F2)"; X is the first member, Y the second
 * @param weight 1 for forget-retain terms, eta for forget-forget terms
 */
public record MiTerm(String name, double weight, MiEstimate estimate) {
}
