package dev.falcon.unlearn;

import dev.falcon.model.LlamaModel;
import dev.falcon.train.TrainLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * One unlearning run, the same wherever it is started (the unlearn command, the demo, the TOFU
 * bench): copy the tensors the settings edit, run the method on the copy, measure how far each
 * tensor moved, and fill the run record (falcon-run.json).
 *
 * <p>Early stop, the one policy: a step whose loss is not finite ends the run before its update, so
 * the outcome holds the weights of the last good step and the record says why ("stopped_early").
 * The caller's {@link Keep} still receives that outcome (the unlearn command writes it, as it always
 * did), and the run then fails with {@link Stopped} (exit code 1): a stopped run's model is never
 * scored or reported as the method's result.
 */
public final class UnlearnRun {

    /** A run that stopped early, after its outcome was kept. */
    public static final class Stopped extends IllegalStateException {
        public Stopped(String message) {
            super(message);
        }
    }

    /** What the caller does with an outcome, before a stopped run fails. */
    public interface Keep {
        void accept(Outcome outcome) throws IOException;
    }

    /**
     * @param model       the edited model: the input's tensors, with copies of the edited ones
     * @param edited      the names of the edited tensors
     * @param changeNorms Frobenius norm of each edited tensor's change
     */
    public record Outcome(Method method, LlamaModel model, List<String> edited, TrainLog log,
                          Map<String, Double> changeNorms, RunRecord record) {
    }

    private final Method method;
    private final MethodSettings settings;
    private final UnlearningMethod unlearning;

    /** Refuses settings of another method's type (a programming error, not the user's). */
    public UnlearnRun(Method method, MethodSettings settings) {
        this.method = method;
        this.settings = settings;
        this.unlearning = method.create(settings);
    }

    public Method method() {
        return method;
    }

    public MethodSettings settings() {
        return settings;
    }

    /** A run record naming the method, the seed and where the model came from; inputs go in next. */
    public RunRecord record(String model) {
        return new RunRecord(method, settings.seed(), model);
    }

    /**
     * Unlearns {@code inputs} from a model sharing {@code base}'s tensors (base is not modified),
     * hands the outcome to {@code keep}, and fails if the run stopped early (see the class comment).
     */
    public Outcome run(LlamaModel base, UnlearnInputs inputs, RunRecord record, TrainLog.Listener listener, Keep keep) {
        settings.checkTopics(inputs.forget().size());
        EditedParameters edited = EditedParameters.copyOf(base, settings.layers(), settings.params());
        record.config(settings);
        TrainLog log = unlearning.unlearn(edited.model(), edited, inputs, record, listener);
        Map<String, Double> norms = edited.changeNorms();
        record.log(log, norms);
        Outcome outcome = new Outcome(method, edited.model(), edited.names(), log, norms, record);
        try {
            keep.accept(outcome);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (log.stoppedEarly() != null) {
            throw new Stopped(method + " stopped: " + log.stoppedEarly());
        }
        return outcome;
    }
}
