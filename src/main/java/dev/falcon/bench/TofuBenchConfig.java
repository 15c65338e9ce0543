package dev.falcon.bench;

import dev.falcon.InputException;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the TOFU comparison is run with.
 *
 * @param data            folder holding tofu/ and models/stories260K/
 * @param retainQuestions how many questions of retain_perturbed.json (from the first) are trained on, used as the
 *                        unlearning retain set and scored as the retain set
 * @param evalQuestions   how many questions of real_authors_perturbed.json and world_facts_perturbed.json are scored
 * @param finetune        the fine-tuning recipe, shared by the fine-tuned model and the retain-only reference
 * @param unlearnEpochs   passes over forget01 of every unlearning method
 * @param layer           l*: the layer FALCON and RMU read activations from
 * @param editedLayers    the blocks whose MLP down projections FALCON and RMU edit
 * @param falconLr        FALCON's learning rate (SophiaG, as the official code)
 * @param rmuLr           RMU's learning rate (AdamW)
 * @param likelihoodLr    GA's, GradDiff's and NPO's learning rate (AdamW, every block matrix)
 * @param maxNewTokens    longest greedy answer scored by ROUGE-L
 */
public record TofuBenchConfig(Path data, int retainQuestions, int evalQuestions, TrainSettings finetune,
                              int unlearnEpochs, int layer, List<Integer> editedLayers, double falconLr,
                              double rmuLr, double likelihoodLr, int maxNewTokens, long seed) {

    public TofuBenchConfig {
        require(retainQuestions >= 1 && evalQuestions >= 1, "question counts must be at least 1");
        require(unlearnEpochs >= 1, "unlearning epochs must be at least 1, got " + unlearnEpochs);
        require(maxNewTokens >= 1, "max new tokens must be at least 1, got " + maxNewTokens);
        editedLayers = List.copyOf(editedLayers);
    }

    /** The recipe the README's table was measured with. */
    public static TofuBenchConfig defaults(Path data) {
        TrainSettings finetune = new TrainSettings(30, 0, 3e-3, 8, 0.05, LearningRateSchedule.Shape.COSINE, 512,
                42, 1.0, 0.0);
        return new TofuBenchConfig(data, 40, 40, finetune, 5, 3, List.of(1, 2, 3), 5e-3, 1e-3, 1e-3, 128, 42);
    }

    public Path tofu(String file) {
        return data.resolve("tofu").resolve(file);
    }

    public Path modelFile(String file) {
        return data.resolve("models").resolve("stories260K").resolve(file);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new InputException(problem);
        }
    }
}
