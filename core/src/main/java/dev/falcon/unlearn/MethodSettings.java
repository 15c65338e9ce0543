package dev.falcon.unlearn;

import java.util.List;

/**
 * The settings of one unlearning method, validated when built; each method has its own record.
 * Every method edits the matrices {@link #params} of the blocks {@link #layers}.
 */
public sealed interface MethodSettings permits ActivationSettings, LikelihoodSettings {

    List<Integer> layers();

    /** Matrices of each edited block, as suffixes such as "mlp.down_proj". */
    List<String> params();

    long seed();

    /** Checks the per-topic settings against the number of forget topics (an InputException naming the setting). */
    void checkTopics(int topics);
}
