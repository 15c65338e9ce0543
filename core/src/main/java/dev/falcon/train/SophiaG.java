package dev.falcon.train;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.List;

/**
 * SophiaG as the official FALCON code uses it, from the {@code zeta} package, which differs from the
 * Sophia paper: the "Hessian" h is an EMA of g*g refreshed every step, the momentum m is updated twice
 * per step with the same gradient, and weight decay is decoupled:
 * <pre>
 *   h = b2 h + (1 - b2) g*g;  m = b1 m + (1 - b1) g;  (for every parameter, then per parameter:)
 *   W = W (1 - lr wd);  m = b1 m + (1 - b1) g;
 *   W = W - lr sign(m) min(|m| / (rho bs h + 1e-15), 1)
 * </pre>
 */
public final class SophiaG implements Optimizer {

    public static final double OFFICIAL_BETA1 = 0.965;
    public static final double OFFICIAL_BETA2 = 0.99;
    public static final double OFFICIAL_RHO = 0.9;
    public static final double OFFICIAL_WEIGHT_DECAY = 1e-3;
    /** zeta's default for step(bs=...), which the official code does not override. */
    public static final double OFFICIAL_BS = 5120;
    private static final double DIVISION_EPS = 1e-15;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double rho;
    private final double weightDecay;
    private final double bs;
    /** Per parameter: {m, h}. */
    private final ParamState state = new ParamState(2);

    public SophiaG(double lr, double beta1, double beta2, double rho, double weightDecay, double bs) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.rho = rho;
        this.weightDecay = weightDecay;
        this.bs = bs;
    }

    /** The official settings: betas (0.965, 0.99), rho 0.9, weight decay 1e-3, bs 5120. */
    public SophiaG(double lr) {
        this(lr, OFFICIAL_BETA1, OFFICIAL_BETA2, OFFICIAL_RHO, OFFICIAL_WEIGHT_DECAY, OFFICIAL_BS);
    }

    @Override
    public void step(List<Tensor> params, List<Tensor> grads) {
        List<Tensor[]> buffers = state.buffers(params, grads);
        try (Engine.Scope temporaries = Engine.scope(); Engine.Guard noGrad = Engine.noGrad()) {
            // zeta first refreshes h and m of every parameter, then runs its update, which moves m again.
            for (int i = 0; i < params.size(); i++) {
                Tensor g = grads.get(i);
                buffers.get(i)[1].mul_(beta2).addcmul_(g, g, 1 - beta2);
                buffers.get(i)[0].mul_(beta1).add_(g, 1 - beta1);
            }
            for (int i = 0; i < params.size(); i++) {
                // a scope per parameter: its temporaries are freed before the next one's are made
                try (Engine.Scope perParameter = Engine.scope()) {
                    update(params.get(i), grads.get(i), buffers.get(i)[0], buffers.get(i)[1]);
                }
            }
        }
    }

    private void update(Tensor param, Tensor grad, Tensor m, Tensor h) {
        param.mul_(1 - lr * weightDecay);
        m.mul_(beta1).add_(grad, 1 - beta1);
        Tensor ratio = m.abs().div(h.mul(rho * bs).add(DIVISION_EPS)).clampMax(1);
        param.addcmul_(m.sign(), ratio, -lr);
    }
}
