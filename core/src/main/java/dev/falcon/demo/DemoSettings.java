package dev.falcon.demo;

import dev.falcon.data.McqForm;
import dev.falcon.demo.world.WorldSettings;
import dev.falcon.model.LlamaConfig;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;
import dev.falcon.unlearn.LikelihoodSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the demo pipeline is run with: the world, the model trained on it, how it is trained,
 * and how each unlearning method is tuned.
 *
 * @param seed           seeds the unlearning methods' data order and the attacks; {@link #forSeed} also
 *                       makes it the world's and the training's seed
 * @param targetAccuracy every domain's MCQ accuracy the base model must reach (0..1)
 * @param roundSteps     training steps between two accuracy checks
 * @param maxRounds      training rounds before giving up on the target
 * @param cloze          score MCQs in lm-eval's cloze form (each answer text scored) instead of lettered
 * @param samples        documents per set for MI layer selection
 * @param layer          l*, the layer both methods unlearn at (editing l*-2..l*); -1 takes the MI selection's
 *                       lowest-MI layer from layer 2 on. MI selection runs and is reported either way.
 * @param npo            NPO+RT on the same edited matrices (alpha: the retain term's weight; c: NPO's beta)
 * @param auditBudgets   the audit's budgets by attack, in place of the attack's defaults (as falcon audit
 *                       --budget takes them); attacks not named run at their defaults
 */
public record DemoSettings(long seed, WorldSettings world, LlamaConfig model, TrainSettings train, double targetAccuracy,
                           int roundSteps, int maxRounds, boolean cloze, int samples, int layer, MethodTuning falcon,
                           MethodTuning rmu, MethodTuning npo, Map<String, List<String>> auditBudgets) {

    public DemoSettings {
        auditBudgets = Collections.unmodifiableMap(new LinkedHashMap<>(auditBudgets));
    }

    /** {@link #layer} value that picks l* by mutual information. */
    public static final int MI_LAYER = -1;

    /** FALCON on the demo: AdamW learning rate and retention weight alpha (README, "The demo"). */
    static final double FALCON_LR = 3e-2;
    static final double FALCON_ALPHA = 2;
    /** RMU on the demo: AdamW learning rate, retention weight alpha and steering coefficient c. */
    static final double RMU_LR = 5e-2;
    static final double RMU_ALPHA = 5;
    static final double RMU_C = 100;
    /** NPO+RT on the demo: AdamW learning rate; retain weight 1 and beta 0.1 are the NPO paper's. */
    static final double NPO_LR = 1e-1;

    /**
     * The demo audit's budgets where an attack's defaults cost too much for a first run to finish within 10
     * minutes on 2 cores (README, "The demo"): relearning on the 300 statements about the forget entities it
     * shows, and unrelated fine-tuning on the first 300 retain statements, each measured after 0, 10 and 30
     * steps; GCG for 0 and 10 iterations; direction ablation of 0, 1 and 4 directions.
     */
    static final Map<String, List<String>> AUDIT_BUDGETS = Map.of(
            "relearn", List.of("300x0", "300x10", "300x30"),
            "finetune-unrelated", List.of("300x0", "300x10", "300x30"),
            "gcg", List.of("0", "10"),
            "direction-ablation", List.of("0", "1", "4"));

    /**
     * How one unlearning method is run on the demo: AdamW at lr for steps steps of batchSize
     * sentences, retain weight alpha, steering coefficient c (RMU's control-vector norm; FALCON
     * scales its POV by it; NPO's inverse temperature beta).
     */
    public record MethodTuning(double lr, int steps, int batchSize, double alpha, double steeringCoeff) {
    }

    /** The seed {@code falcon demo} runs with when none is given. */
    public static final long DEFAULT_SEED = 0;

    /** The demo's recipe with {@link #DEFAULT_SEED}. */
    public static DemoSettings defaults() {
        return forSeed(DEFAULT_SEED);
    }

    /**
     * The demo's recipe, with {@code seed} seeding the world, the base model's initialisation and data
     * order, the unlearning and the attacks. A world of 40 entities per domain (5 facts each: 200 questions
     * per domain) in 3 phrasings per fact with cloze drills; a 4-layer Llama of width 96 and MLP 256
     * (vocabulary from the world's tokenizer) trained with AdamW at a constant 3e-3 on batches of 32
     * documents until every domain reaches 90%, checked every 200 steps (seeds 0-4: 1400-2400 steps). Cloze
     * MCQs, since the world's drills teach that form. Both methods unlearn at the last layer (l* = 3,
     * editing the down projections of layers 1-3) with AdamW (see {@link DemoPipeline}) for 900 steps of 4
     * sentences; their other knobs were chosen by their worst tuning seed (README, "The demo").
     */
    public static DemoSettings forSeed(long seed) {
        LlamaConfig model = new LlamaConfig("LlamaForCausalLM", 96, 256, 4, 4, 4, 24, 0, 1e-5, 10000.0, null,
                true, false, 256, "float32", 1, 2, 0);
        TrainSettings train = TrainSettings.builder().lr(3e-3).batchSize(32).warmupFraction(0.05)
                .schedule(LearningRateSchedule.Shape.CONSTANT).maxLength(256).seed(seed).clipNorm(1.0).weightDecay(0.01)
                .build();
        WorldSettings world = new WorldSettings(seed, 40, 3, true, 0);
        return new DemoSettings(seed, world, model, train, 0.9, 200, 15, true, 36, 3,
                new MethodTuning(FALCON_LR, 900, 4, FALCON_ALPHA, 20.0), new MethodTuning(RMU_LR, 900, 4, RMU_ALPHA,
                RMU_C), new MethodTuning(NPO_LR, 900, 4, 1.0, LikelihoodSettings.NPO_BETA), new TreeMap<>(AUDIT_BUDGETS));
    }

    /** The MCQ form every accuracy of the demo is scored in. */
    public McqForm form() {
        return cloze ? McqForm.CLOZE : McqForm.LETTERED;
    }

    /** The model config with the vocabulary of the world's tokenizer. */
    public LlamaConfig modelWithVocab(int vocabSize) {
        return model.withVocabSize(vocabSize);
    }
}
