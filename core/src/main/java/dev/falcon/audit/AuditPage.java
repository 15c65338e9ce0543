package dev.falcon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falcon.attack.AttackCurve;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.MembershipScore;
import dev.falcon.report.Charts;
import dev.falcon.report.HtmlPage;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * audit.html: the verdict as a banner with its reasons, the scores and every attack's worst case in tables,
 * each attack's curve on the unlearned model and on the original with 95% intervals, chance and the forget
 * limit drawn across, the membership inference and the input files' hashes. Self-contained (charts inline).
 */
public final class AuditPage {

    private static final String STYLE = ".verdict{padding:8px 16px;color:white;border-radius:4px}"
            + ".pass{background:#1b7f3b}.fail{background:#b3261e}.verdict li{text-align:left}"
            + "td:first-child,th:first-child{text-align:left}code{font-size:85%}";

    private AuditPage() {
    }

    /** Writes the page atomically. */
    public static void write(AuditReport r, Path file) throws IOException {
        HtmlPage page = new HtmlPage("FALCON audit", STYLE);
        banner(page, r.verdict());
        page.paragraph(String.format(Locale.ROOT, "%d forget and %d retain questions, asked in the %s form; chance "
                        + "%s. Worst case on the unlearned model: %s (%s).", r.forgetQuestions(), r.retainQuestions(),
                r.settings().form().id(), Verdict.percent(r.chance()), r.worstCase().accuracy().percent(),
                r.worstCase().label()));
        page.heading(2, "Scores without attack").table(List.of("model", "forget", "retain"), List.of(
                List.of("unlearned", r.unlearned().forget().percent(), r.unlearned().retain().percent()),
                List.of("original", r.original().forget().percent(), r.original().retain().percent())));
        page.heading(2, "Attacks").paragraph("Each attack's weakest budget and its highest forget accuracy, on the "
                + "unlearned model and on the original (the control: what the attack itself destroys).");
        page.table(List.of("attack", "unlearned, weakest", "unlearned, highest", "original, weakest",
                "original, highest"), attackRows(r));
        if (!r.battery().skipped().isEmpty()) {
            page.heading(2, "Not run");
            page.table(List.of("attack", "reason"),
                    r.battery().skipped().stream().map(s -> List.of(s.attack(), s.reason())).toList());
        }
        for (AttackBattery.Planned p : r.battery().planned()) {
            String name = p.attack().name();
            Map<String, AttackCurve> curves = new LinkedHashMap<>();
            curves.put("unlearned", r.unlearned().curves().get(name));
            curves.put("original", r.original().curves().get(name));
            page.chart(name, curveChart(p, curves, r.chance(), r.forgetLimit()));
        }
        membership(page, r);
        files(page, r.files());
        page.write(file);
    }

    private static void banner(HtmlPage page, Verdict v) {
        page.html("<div class=\"verdict " + (v.passed() ? "pass" : "fail") + "\"><h2>" + (v.passed() ? "PASS" : "FAIL")
                + "</h2>\n<ul>\n");
        v.checks().forEach(c -> page.html("<li>" + HtmlPage.escape(c.line()) + "</li>\n"));
        page.html("</ul></div>\n");
    }

    private static List<List<String>> attackRows(AuditReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (AttackBattery.Planned p : r.battery().planned()) {
            String name = p.attack().name();
            List<String> row = new ArrayList<>(List.of(name));
            for (AttackCurve c : List.of(r.unlearned().curves().get(name), r.original().curves().get(name))) {
                row.add(at(c.points().get(0)));
                row.add(at(c.best()));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String at(AttackCurve.Point p) {
        return p.accuracy().percent() + " at " + p.budget();
    }

    /**
     * One attack's forget accuracy at each of its budgets on every model of {@code curves} (by label), with
     * 95% intervals, chance and the forget limit drawn across.
     */
    public static JFreeChart curveChart(AttackBattery.Planned p, Map<String, AttackCurve> curves, double chance,
                                        double limit) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        curves.forEach((label, curve) -> data.addSeries(series(label, curve)));
        return Charts.accuracyWithIntervals(p.attack().name() + ": forget accuracy (95% interval)",
                p.attack().budgetAxis(), p.budgets(), data, List.of(new Charts.Marker("chance", 100 * chance,
                        Color.GRAY), new Charts.Marker("forget limit", 100 * limit, new Color(0xb3261e))));
    }

    private static YIntervalSeries series(String label, AttackCurve curve) {
        YIntervalSeries series = new YIntervalSeries(label);
        for (int i = 0; i < curve.points().size(); i++) {
            Accuracy a = curve.points().get(i).accuracy();
            series.add(i, 100 * a.value(), 100 * a.low(), 100 * a.high());
        }
        return series;
    }

    private static void membership(HtmlPage page, AuditReport r) {
        if (r.unlearned().membership().isEmpty()) {
            return;
        }
        page.heading(2, "Membership inference").paragraph("ROC AUC of each score, forget texts as members (0.5: "
                + "forget and held-out texts look alike). PrivLeak (MUSE) of the unlearned model: "
                + (r.referenceAuc().isEmpty() ? "no reference model given."
                : String.format(Locale.ROOT, "%.1f%%.", r.privLeak())));
        List<List<String>> rows = new ArrayList<>();
        Map<MembershipScore, Double> u = r.unlearned().membership().orElseThrow().auc();
        Map<MembershipScore, Double> o = r.original().membership().orElseThrow().auc();
        for (MembershipScore s : MembershipScore.values()) {
            rows.add(List.of(s.key(), auc(u.get(s)), auc(o.get(s)),
                    r.referenceAuc().map(ref -> auc(ref.get(s))).orElse("-")));
        }
        page.table(List.of("score", "unlearned", "original", "reference"), rows);
    }

    private static String auc(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void files(HtmlPage page, JsonNode files) {
        List<List<String>> rows = new ArrayList<>();
        files.fields().forEachRemaining(e -> {
            JsonNode entry = e.getValue();
            if (entry.has("sha256")) {
                rows.add(List.of(e.getKey(), entry.get("path").asText(), entry.get("sha256").asText()));
            } else {
                entry.get("files").fields().forEachRemaining(f -> rows.add(List.of(e.getKey(),
                        Path.of(entry.get("path").asText()).resolve(f.getKey()).toString(), f.getValue().asText())));
            }
        });
        if (!rows.isEmpty()) {
            page.heading(2, "Input files (SHA-256)").table(List.of("role", "file", "sha256"), rows);
        }
    }
}
