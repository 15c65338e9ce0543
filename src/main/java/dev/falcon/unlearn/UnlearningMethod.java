package dev.falcon.unlearn;

import dev.falcon.model.LlamaModel;

/**
 * One way of removing knowledge (FALCON or a baseline), chosen by name. Each method has its own
 * settings, given to its constructor; all edit only the parameters they are handed, in place.
 */
public interface UnlearningMethod {

    String name();

    /** Edits {@code edited} inside {@code model} and returns what each step measured. */
    TrainingLog unlearn(LlamaModel model, EditedParameters edited, UnlearnInputs inputs, TrainingLog.Listener listener);
}
