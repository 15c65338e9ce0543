package dev.falcon.eval;

import dev.falcon.ByteTokenizer;
import dev.falcon.data.Document;
import dev.falcon.model.LlamaModel;
import dev.falcon.train.LearningRateSchedule;
import dev.falcon.train.TrainSettings;
import dev.falcon.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipInferenceTest {

    private static final List<Document> SEEN = List.of(Document.plain("the cat sat on the mat"),
            Document.plain("a dog ran in the park"), Document.plain("birds sing at dawn"),
            Document.plain("fish swim in the sea"));
    private static final List<Document> UNSEEN = List.of(Document.plain("rain fell over hills"),
            Document.plain("stars shine at night"), Document.plain("trees grow tall slowly"),
            Document.plain("snow covers the road"));

    private static MembershipInference mia(LlamaModel model) {
        return new MembershipInference(new LogLikelihood(model, new ByteTokenizer(), false, 4),
                MembershipInference.Settings.DEFAULT);
    }

    /** Every token costs ln V under all-zero logits; zlib divides that by each text's own compressed length. */
    @Test
    void uniformModelScoresEveryTokenAtLnV() {
        // context 8 < the longest text's 22 bytes: rolling windows, every token scored once
        MembershipInference.Scores s = mia(TinyModels.uniform(8)).score(SEEN);
        double lnV = Math.log(ByteTokenizer.VOCAB);
        for (int d = 0; d < SEEN.size(); d++) {
            assertEquals(lnV, s.byScore().get(MembershipScore.LOSS)[d], 1e-5);
            assertEquals(lnV, s.byScore().get(MembershipScore.MIN_K)[d], 1e-5);
            assertEquals(lnV / MembershipScore.zlibLength(SEEN.get(d).text()), s.byScore().get(MembershipScore.ZLIB)[d], 1e-6);
        }
    }

    /** A question/answer record is scored on its answer given the question, as one continuation. */
    @Test
    void questionAnswerRecordsScoreTheAnswer() {
        LlamaModel model = TinyModels.random(64, 4);
        Document qa = Document.questionAnswer("Who wrote it?", "Jane Doe");
        MembershipInference.Scores s = mia(model).score(List.of(qa));
        LogLikelihood ll = new LogLikelihood(model, new ByteTokenizer(), false, 4);
        LogLikelihood.Score answer = ll.score(List.of(new LogLikelihood.Request(qa.prompt(), qa.completion()))).get(0);
        assertEquals(-answer.logLikelihood() / answer.tokens(), s.byScore().get(MembershipScore.LOSS)[0], 1e-6);
        assertEquals(" Jane Doe".length(), answer.tokens());
        assertEquals(-answer.logLikelihood() / answer.tokens() / MembershipScore.zlibLength("Jane Doe"),
                s.byScore().get(MembershipScore.ZLIB)[0], 1e-6);
    }

    /** The same texts as forget and held-out sets cannot be told apart: every AUC is 1/2. */
    @Test
    void sameTextsGiveOneHalf() {
        MembershipInference mi = mia(TinyModels.random(64, 2));
        MembershipInference.Result r = mi.compare(mi.score(SEEN), mi.score(SEEN));
        for (MembershipScore s : MembershipScore.values()) {
            assertEquals(0.5, r.auc().get(s), 1e-15, s.key());
        }
        assertEquals(0.0, r.privLeak(r.auc().get(PrivLeak.SCORE)), 1e-12);
    }

    /** After a few steps on the forget texts, their loss is below every unseen text's: AUC 1 on loss. */
    @Test
    void textsAModelWasTrainedOnLookLikeMembers() {
        LlamaModel model = TinyModels.random(64, 3);
        ByteTokenizer tok = new ByteTokenizer();
        MembershipInference mi = mia(model);
        MembershipInference.Result before = mi.compare(mi.score(SEEN), mi.score(UNSEEN));
        TrainSettings s = new TrainSettings(1, 40, 1e-2, 4, 0, LearningRateSchedule.Shape.CONSTANT, 64, 0, 1.0, 0);
        new Trainer(s).train(model, List.copyOf(model.paramNames()), SEEN, tok, null);
        MembershipInference.Result after = mi.compare(mi.score(SEEN), mi.score(UNSEEN));
        System.out.printf("loss AUC %.3f -> %.3f, Min-K%% %.3f -> %.3f, Min-K%%++ %.3f -> %.3f%n",
                before.auc().get(MembershipScore.LOSS), after.auc().get(MembershipScore.LOSS),
                before.auc().get(MembershipScore.MIN_K), after.auc().get(MembershipScore.MIN_K),
                before.auc().get(MembershipScore.MIN_K_PLUS_PLUS), after.auc().get(MembershipScore.MIN_K_PLUS_PLUS));
        assertEquals(1.0, after.auc().get(MembershipScore.LOSS));
        assertTrue(after.auc().get(MembershipScore.MIN_K) > 0.5);
        // PrivLeak of the trained model against the untrained one as the "retrained" reference: strongly negative
        assertTrue(after.privLeak(before.auc().get(PrivLeak.SCORE)) < 0);
    }

    @Test
    void aTextOfNoTokensIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mia(TinyModels.random(64, 1)).score(List.of(Document.plain("x"), Document.plain(""))));
        assertTrue(e.getMessage().startsWith("document 2"), e.getMessage());
    }
}
