package dev.falcon.demo;

import dev.falcon.data.McqForm;
import dev.falcon.data.WorldSettings;
import dev.falcon.model.LlamaConfig;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;

/**
 * Everything the demo pipeline is run with: the world, the model trained on it, how it is trained,
 * and how each unlearning method is tuned.
 *
 * @param targetAccuracy every domain's MCQ accuracy the base model must reach (0..1)
 * @param roundSteps     training steps between two accuracy checks
 * @param maxRounds      training rounds before giving up on the target
 * @param cloze          score MCQs in lm-eval's cloze form (each answer text scored) instead of lettered
 * @param samples        documents per set for MI layer selection
 */
public record DemoSettings(WorldSettings world, LlamaConfig model, TrainSettings train, double targetAccuracy,
                           int roundSteps, int maxRounds, boolean cloze, int samples, MethodTuning falcon,
                           MethodTuning rmu) {

    /**
     * How one unlearning method is run on the demo: AdamW at lr for steps steps of batchSize
     * sentences, retain weight alpha, steering coefficient c (RMU's control-vector norm; FALCON
     * scales its POV by it).
     */
    public record MethodTuning(double lr, int steps, int batchSize, double alpha, double steeringCoeff) {
    }

    /**
     * The demo's defaults: a world of 12 entities per domain with 3 phrasings per fact and cloze
     * drills; a 4-layer Llama of width 128 (vocabulary set from the world's tokenizer) trained with
     * AdamW at a constant 3e-3 on batches of 32 documents, accuracy checked every 200 steps, at most
     * 10 rounds (measured: 600 steps, 113 s, 97-100% per domain). Cloze MCQs, since the world's
     * drills teach that form. Both methods use AdamW (see {@link DemoPipeline}); FALCON at lr 3e-2
     * with retention weight 2 took the forget domains to 15% and 20% with the retain domain unchanged;
     * RMU at lr 2e-2, alpha 10, c 100 to 40% and 58% (retain -1.7 points).
     */
    public static DemoSettings defaults() {
        LlamaConfig model = new LlamaConfig("LlamaForCausalLM", 128, 384, 4, 4, 4, 32, 0, 1e-5, 10000.0, null,
                true, false, 256, "float32", 1, 2, 0);
        TrainSettings train = new TrainSettings(1, 0, 3e-3, 32, 0.05, LearningRateSchedule.Shape.CONSTANT,
                256, 42, 1.0, 0.01);
        WorldSettings world = new WorldSettings(WorldSettings.defaults().seed(), 12, 3, true, 0);
        return new DemoSettings(world, model, train, 0.8, 200, 10, true, 36,
                new MethodTuning(3e-2, 300, 4, 2.0, 20.0), new MethodTuning(2e-2, 300, 4, 10.0, 100.0));
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
