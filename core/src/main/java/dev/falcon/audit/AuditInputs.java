package dev.falcon.audit;

import dev.falcon.InputException;
import dev.falcon.attack.AttackInputs;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.MembershipScore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an audit is run on besides the models.
 *
 * @param forget       the forget questions: every attack scores them
 * @param retain       the retain questions: what unlearning must keep
 * @param forgetText   forget-domain documents: the members of the membership inference and the relearning
 *                     attack's text; may be empty
 * @param holdoutText  documents like the forget texts that no model was trained on; may be empty
 * @param retainText   retain-domain documents, for unrelated fine-tuning; may be empty
 * @param referenceAuc each membership score's AUC under a model never trained on the forget texts, when one
 *                     is given: PrivLeak is judged against it
 */
public record AuditInputs(McqDataset forget, McqDataset retain, List<Document> forgetText, List<Document> holdoutText,
                          List<Document> retainText, Optional<Map<MembershipScore, Double>> referenceAuc) {

    public AuditInputs {
        forgetText = List.copyOf(forgetText);
        holdoutText = List.copyOf(holdoutText);
        retainText = List.copyOf(retainText);
        referenceAuc = referenceAuc.map(Map::copyOf);
        if (forget.items().isEmpty() || retain.items().isEmpty()) {
            throw new InputException("the audit needs forget and retain questions; got " + forget.items().size()
                    + " and " + retain.items().size());
        }
        if (!holdoutText.isEmpty() && forgetText.isEmpty()) {
            throw new InputException("held-out texts are compared with forget texts; give both");
        }
        if (referenceAuc.isPresent() && holdoutText.isEmpty()) {
            throw new InputException("a reference is only used by the membership inference, which needs forget "
                    + "and held-out texts");
        }
    }

    /** Whether membership inference runs: both forget and held-out texts given. */
    public boolean hasMembershipInference() {
        return !holdoutText.isEmpty();
    }

    /** What the attacks see: the forget questions, the texts they train on. */
    public AttackInputs attackInputs(McqForm form) {
        return new AttackInputs(forget, form, forgetText, retainText, null);
    }

    /** The accuracy of guessing the forget questions at random: the mean of 1 / choices. */
    public double chance() {
        return forget.items().stream().mapToDouble(item -> 1.0 / item.choices().size()).average().orElseThrow();
    }
}
