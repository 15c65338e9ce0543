package dev.falcon.train;

import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An optimizer's per-parameter buffers, created as zeros on the first step. */
final class ParamState {

    private final int perParam;
    private final List<Tensor[]> buffers = new ArrayList<>();

    ParamState(int perParam) {
        this.perParam = perParam;
    }

    /** Checks params and grads against each other and against earlier steps; returns each parameter's buffers. */
    List<Tensor[]> buffers(List<Tensor> params, List<Tensor> grads) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(params.size() + " parameters but " + grads.size() + " gradients");
        }
        if (buffers.isEmpty()) {
            // Kept out of any scope the caller has open: the buffers live as long as the optimizer.
            try (Engine.Scope scope = Engine.scope()) {
                for (Tensor p : params) {
                    Tensor[] b = new Tensor[perParam];
                    for (int i = 0; i < perParam; i++) {
                        b[i] = scope.keep(p.detach().zerosLike());
                    }
                    buffers.add(b);
                }
            }
        }
        if (buffers.size() != params.size()) {
            throw new IllegalArgumentException("the optimizer holds state for " + buffers.size()
                    + " parameters, got " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            long[] shape = buffers.get(i)[0].shape();
            if (!Arrays.equals(shape, params.get(i).shape()) || !Arrays.equals(shape, grads.get(i).shape())) {
                throw new IllegalArgumentException("parameter " + i + " has state " + Arrays.toString(shape)
                        + ", got parameter " + Arrays.toString(params.get(i).shape()) + " and gradient "
                        + Arrays.toString(grads.get(i).shape()));
            }
        }
        return buffers;
    }
}
