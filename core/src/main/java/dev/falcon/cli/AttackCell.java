package dev.falcon.cli;

import dev.falcon.attack.Attack;
import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackInputs;
import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.Attacks;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.tokenizer.ChatTemplate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One cell of an audit on a cluster: one attack at its budgets on one model, run on an executor with the
 * attack's own code. The executor takes the model (and the original, for an attack that compares with it) from
 * the models it keeps open ({@link ExecutorModels}), shared with its scoring tasks and the other cells; attacks
 * change copies only, so the cached models stay as read. It reads the questions and texts from paths every node
 * reads, as falcon audit reads them, so the curve is the one a single machine measures. A retried cell measures
 * the same curve again.
 *
 * @param model    the attacked model
 * @param original the model before unlearning (equal to model in the control run)
 * @param chat     whether questions go through the tokenizer's chat template (falcon audit without --no-chat-template)
 * @param texts    the forget and retain texts (null where not given)
 */
record AttackCell(ScoringModel model, ScoringModel original, boolean chat, String attack, AttackSettings settings,
                  List<String> budgets, McqForm form, String forgetMcq, AuditCommand.Texts texts)
        implements ClusterTask<AttackCurve> {

    @Override
    public AttackCurve call() {
        Attack a = Attacks.create(attack, settings);
        AttackInputs inputs = new AttackInputs(McqDataset.read(Path.of(forgetMcq)), form, texts.forget(),
                texts.retain(), null);
        // the control run compares the original with itself
        List<ScoringModel> models = a.needsOriginal() && !original.equals(model) ? List.of(model, original)
                : List.of(model);
        return ExecutorModels.with(models, scorers -> {
            LogLikelihood scorer = scorers.get(0).withChatTemplate(chat ? ChatTemplate.find(Path.of(model.tokenizer()))
                    : Optional.empty());
            return a.run(scorer, a.needsOriginal() ? inputs.withOriginal(scorers.get(models.size() - 1).model())
                    : inputs, budgets, b -> { });
        });
    }
}
