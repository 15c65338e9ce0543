package dev.falcon.attack;

import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.eval.McqResult;
import dev.falcon.model.LlamaModel;
import dev.falcon.ByteTokenizer;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LogitLensTest {

    private final McqDataset data = McqItems.of("toy", 0, 0, 1, 2, 3, 1, 2, 0, 3);
    private final LlamaModel model = TinyModels.create(11);
    private final LogLikelihood scorer = new LogLikelihood(model, new ByteTokenizer(16), false, 3);

    @ParameterizedTest
    @EnumSource(McqForm.class)
    void lastLayerIsTheModelsOwnAccuracy(McqForm form) {
        LogitLens.Result lens = new LogitLens(scorer, form).run(data);
        assertEquals(model.config().numLayers(), lens.accuracyByLayer().size());
        McqResult result = new McqEvaluator(scorer).evaluate(data, true);
        double own = form == McqForm.CLOZE ? result.clozeAcc() : result.acc();
        assertEquals(own, lens.accuracyByLayer().get(lens.accuracyByLayer().size() - 1), 0.0);
        assertEquals(lens.accuracyByLayer().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                lens.max(), 0.0);
    }

    /** The last layer's readout is the forward pass itself, so every log-likelihood matches bit for bit. */
    @Test
    void lastLayerReadoutScoresExactlyAsTheForwardPass() {
        List<LogLikelihood.Request> requests = List.of(new LogLikelihood.Request("Answer:", " B"),
                new LogLikelihood.Request("q1? A. x", " C"), new LogLikelihood.Request("toy", " D"));
        int last = model.config().numLayers() - 1;
        assertEquals(lls(scorer, requests),
                lls(scorer.withReadout(LogLikelihood.Readout.afterLayer(last)), requests));
    }

    /** Layer 0 skips a random block, so its log-likelihoods differ: the readout is really used. */
    @Test
    void earlierLayerReadsADifferentStream() {
        List<LogLikelihood.Request> requests = List.of(new LogLikelihood.Request("Answer:", " B"));
        assertNotEquals(lls(scorer, requests), lls(scorer.withReadout(LogLikelihood.Readout.afterLayer(0)), requests));
    }

    private static List<Double> lls(LogLikelihood ll, List<LogLikelihood.Request> requests) {
        List<Double> out = new ArrayList<>();
        ll.score(requests).forEach(s -> out.add(s.logLikelihood()));
        return out;
    }
}
