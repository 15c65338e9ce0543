package dev.falcon.unlearn;

import dev.falcon.data.Document;
import dev.falcon.tokenizer.Tokenizer;

import java.util.List;

/**
 * Forget and retain documents, one list per topic (several forget files are several topics; topic i
 * is paired with retain set i, or with the only retain set when there is one), and the tokenizer.
 */
public record UnlearnInputs(List<List<Document>> forget, List<List<Document>> retain, Tokenizer tokenizer) {

    /** The retain documents paired with forget topic i. */
    public List<Document> retainFor(int topic) {
        return retain.size() == 1 ? retain.get(0) : retain.get(topic);
    }
}
