package dev.falcon.unlearn;

import dev.falcon.engine.Tensor;

/** The forget losses of NPO and SimNPO, from per-sequence log-likelihoods of the forget answers. */
public final class PreferenceLosses {

    private PreferenceLosses() {
    }

    /**
     * NPO (Zhang et al. 2024): -(2/beta) mean log sigmoid(-beta (log p_M(y|x) - log p_M0(y|x))). At
     * the start p_M = p_M0 and the loss is (2/beta) ln 2; it falls towards 0 as p_M(y|x) drops.
     *
     * @param logLik    log p_M(y|x) per sequence [B]
     * @param refLogLik log p_M0(y|x) of the unedited model [B]
     */
    public static Tensor npo(Tensor logLik, Tensor refLogLik, double beta) {
        return logLik.sub(refLogLik).mul(-beta).logSigmoid().mean().mul(-2 / beta);
    }

    /**
     * SimNPO (Fan et al. 2024): -(2/beta) mean log sigmoid(-(beta/|y|) log p(y|x) - gamma), NPO without
     * a reference model, on the length-normalised log-likelihood. This is the paper's form; the
     * official code subtracts gamma before scaling by beta (beta (NLL/|y| - gamma)), the same at the
     * default gamma = 0.
     *
     * @param meanLogLik log p(y|x) / |y| per sequence [B]
     */
    public static Tensor simNpo(Tensor meanLogLik, double beta, double gamma) {
        return meanLogLik.mul(-beta).add(-gamma).logSigmoid().mean().mul(-2 / beta);
    }
}
