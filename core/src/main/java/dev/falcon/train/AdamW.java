package dev.falcon.train;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.List;

/**
 * AdamW with PyTorch's semantics: decoupled weight decay W = W (1 - lr wd), then
 * W = W - lr m_hat / (sqrt(v_hat) + eps) with bias-corrected moments m_hat = m / (1 - b1^t),
 * v_hat = v / (1 - b2^t).
 */
public final class AdamW implements Optimizer {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    /** Per parameter: {m, v}. */
    private final ParamState state = new ParamState(2);
    private int steps;

    public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(double lr) {
        this(lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_WEIGHT_DECAY);
    }

    /** Changes the learning rate of the following steps (for a schedule); moments are kept. */
    public void setLr(double lr) {
        this.lr = lr;
    }

    @Override
    public void step(List<Tensor> params, List<Tensor> grads) {
        List<Tensor[]> buffers = state.buffers(params, grads);
        steps++;
        double stepSize = lr / (1 - Math.pow(beta1, steps));
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, steps));
        try (Engine.Guard noGrad = Engine.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                update(params.get(i), grads.get(i), buffers.get(i), stepSize, sqrtCorrection2);
            }
        }
    }

    /** One parameter's update, in a scope of its own: its temporaries are freed before the next one's are made. */
    private void update(Tensor p, Tensor g, Tensor[] buffers, double stepSize, double sqrtCorrection2) {
        try (Engine.Scope perParameter = Engine.scope()) {
            Tensor m = buffers[0].mul_(beta1).add_(g, 1 - beta1);
            Tensor v = buffers[1].mul_(beta2).addcmul_(g, g, 1 - beta2);
            p.mul_(1 - lr * weightDecay);
            p.add_(m.div(v.sqrt().div(sqrtCorrection2).add(eps)), -stepSize);
        }
    }
}
