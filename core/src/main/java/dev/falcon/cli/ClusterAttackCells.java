package dev.falcon.cli;

import dev.falcon.attack.AttackCurve;
import dev.falcon.attack.AttackSettings;
import dev.falcon.audit.AttackBattery;
import dev.falcon.audit.AttackCells;
import dev.falcon.data.McqForm;

import java.util.ArrayList;
import java.util.List;

/**
 * An audit's attacks as a cluster's tasks ({@link AttackCell}), all of one model's in one job: an attack whose
 * budgets are measured apart ({@link dev.falcon.attack.Attack#pointsIndependent}) is a task per budget, its curve
 * joined again here; the others (fine-tuning, whose later budgets continue one run; rephrase, GCG) a task each.
 */
final class ClusterAttackCells implements AttackCells {

    private final Cluster executors;
    private final ScoringModel unlearned;
    private final ScoringModel original;
    private final boolean chat;
    private final AttackSettings settings;
    private final McqForm form;
    private final String forgetMcq;
    private final AuditCommand.Texts texts;

    ClusterAttackCells(Cluster executors, ScoringModel unlearned, ScoringModel original, boolean chat,
                       AttackSettings settings, McqForm form, String forgetMcq, AuditCommand.Texts texts) {
        this.executors = executors;
        this.unlearned = unlearned;
        this.original = original;
        this.chat = chat;
        this.settings = settings;
        this.form = form;
        this.forgetMcq = forgetMcq;
        this.texts = texts;
    }

    @Override
    public List<AttackCurve> curves(AttackBattery battery, boolean onOriginal) {
        List<AttackCell> cells = new ArrayList<>();
        List<Integer> cellsPerAttack = new ArrayList<>();
        for (AttackBattery.Planned p : battery.planned()) {
            List<List<String>> parts = p.attack().pointsIndependent()
                    ? p.budgets().stream().map(List::of).toList() : List.of(p.budgets());
            parts.forEach(budgets -> cells.add(new AttackCell(onOriginal ? original : unlearned, original, chat,
                    p.attack().name(), settings, budgets, form, forgetMcq, texts)));
            cellsPerAttack.add(parts.size());
        }
        List<AttackCurve> measured = executors.runEach(cells, "falcon audit: " + cells.size() + " attack cells on the "
                + (onOriginal ? "original" : "unlearned") + " model");
        List<AttackCurve> curves = new ArrayList<>();
        int next = 0;
        for (int n : cellsPerAttack) {
            curves.add(AttackCurve.joined(measured.subList(next, next + n)));
            next += n;
        }
        return curves;
    }
}
