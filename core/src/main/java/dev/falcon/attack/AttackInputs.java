package dev.falcon.attack;

import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.model.LlamaModel;

import java.util.List;

/**
 * What the attacks are run on besides the model.
 *
 * @param questions  the forget questions scored
 * @param form       the form every question is asked in
 * @param forgetText forget-domain documents (the relearning attack trains on the first ones); may be empty
 * @param retainText retain-domain documents (unrelated fine-tuning trains on the first ones); may be empty
 * @param shots      solved forget-domain questions shown by the few-shot attack, disjoint from
 *                   {@code questions}; null to hold some of {@code questions} out for it
 * @param original   the model before unlearning, for the attacks that compare with it ({@link
 *                   Attack#needsOriginal}); null when not loaded
 */
public record AttackInputs(McqDataset questions, McqForm form, List<Document> forgetText, List<Document> retainText,
                           McqDataset shots, LlamaModel original) {

    public AttackInputs {
        forgetText = List.copyOf(forgetText);
        retainText = List.copyOf(retainText);
    }

    /** The inputs without the original model. */
    public AttackInputs(McqDataset questions, McqForm form, List<Document> forgetText, List<Document> retainText,
                        McqDataset shots) {
        this(questions, form, forgetText, retainText, shots, null);
    }

    /** The same inputs with {@code model} as the model before unlearning. */
    public AttackInputs withOriginal(LlamaModel model) {
        return new AttackInputs(questions, form, forgetText, retainText, shots, model);
    }

    /** Only the questions: enough for the attacks that need no text. */
    public static AttackInputs of(McqDataset questions, McqForm form) {
        return new AttackInputs(questions, form, List.of(), List.of(), null);
    }
}
