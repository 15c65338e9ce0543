package dev.falcon.cli;

import dev.falcon.eval.LogLikelihood;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The models a cluster's executor JVM keeps open across tasks and jobs, so that a task does not read a
 * checkpoint again: a scoring task's model, or an attack cell's (with the original beside it for an attack that
 * compares with it). The models of the latest task stay open; a task that needs others closes the rest first, so
 * an executor holds what one machine's run holds at that point: one model, two for such an attack. Tasks take
 * turns on them, each using all of the executor's cores through libtorch's one thread pool. An attack never
 * changes the model it is given ({@link dev.falcon.attack.Attack}), so a cached model stays as it was read.
 */
public final class ExecutorModels {

    private static final Map<ScoringModel, ScoringModel.Opened> OPEN = new LinkedHashMap<>();

    private ExecutorModels() {
    }

    /** {@code work} on the scorer of {@code model}, opened unless it is open already. */
    public static <T> T with(ScoringModel model, Function<LogLikelihood, T> work) {
        return with(List.of(model), scorers -> work.apply(scorers.get(0)));
    }

    /** {@code work} on the scorers of {@code models} (in that order), each opened unless it is open already. */
    static synchronized <T> T with(List<ScoringModel> models, Function<List<LogLikelihood>, T> work) {
        closeAllBut(Set.copyOf(models));
        return work.apply(models.stream().map(m -> OPEN.computeIfAbsent(m, ScoringModel::open).scorer()).toList());
    }

    /** The models open now. */
    static synchronized Set<ScoringModel> open() {
        return Set.copyOf(OPEN.keySet());
    }

    private static void closeAllBut(Set<ScoringModel> kept) {
        for (Iterator<Map.Entry<ScoringModel, ScoringModel.Opened>> it = OPEN.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ScoringModel, ScoringModel.Opened> e = it.next();
            if (!kept.contains(e.getKey())) {
                it.remove();
                e.getValue().close();
            }
        }
    }
}
