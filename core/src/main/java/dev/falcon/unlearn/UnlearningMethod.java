package dev.falcon.unlearn;

import dev.falcon.model.LlamaModel;
import dev.falcon.train.TrainLog;

/**
 * One way of removing knowledge (FALCON or a baseline), created by {@link Method#create} with its
 * own settings; all edit only the parameters they are handed, in place.
 */
public interface UnlearningMethod {

    Method method();

    /**
     * Edits {@code edited} inside {@code model} and returns what each step measured; {@code record} takes
     * what the method decided on the way (which activation path ran).
     */
    TrainLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs, RunRecord record,
                     TrainLog.Listener listener);
}
