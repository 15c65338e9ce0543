package dev.falcon.demo;

import dev.falcon.attack.AttackCurve;
import dev.falcon.audit.AttackBattery;
import dev.falcon.audit.AuditPage;
import dev.falcon.audit.AuditReport;
import dev.falcon.layers.LayerSelectionReport;
import dev.falcon.report.Charts;
import dev.falcon.report.HtmlPage;
import dev.falcon.unlearn.FalconSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * report.html: one self-contained page (charts are PNG data URIs rendered by JFreeChart) with the
 * summary table, accuracy per domain before and after each method, MI per layer, loss curves, and
 * the audit's curves of every model side by side, one chart per attack.
 */
public final class DemoReport {

    private DemoReport() {
    }

    /** Writes the page atomically. */
    public static void write(DemoResults r, Path file) throws IOException {
        HtmlPage page = new HtmlPage("FALCON demo", "");
        page.paragraph(String.format("Seed %d. Base model: %s, %s (training took %.0f s). MCQ form: %s. FALCON and RMU "
                        + "unlearned at layer %d; every method edited layers %s; lowest mutual information: layer %s.",
                r.world().settings().seed(), r.base().folder(),
                r.base().cached() ? "read from the cache" : "trained in this run", r.base().trainSeconds(),
                r.form().id(), r.layer(), FalconSettings.officialLayers(r.layer()),
                r.layers().selected().isPresent() ? r.layers().selected().getAsInt() : "none"));
        page.preformatted(r.table()).html("<ul>\n");
        r.methods().forEach(m -> page.html(String.format("<li>%s: %s (%.1f s)</li>%n", HtmlPage.escape(m.name()),
                HtmlPage.escape(m.note()), m.seconds())));
        page.html("</ul>\n");
        page.chart("Accuracy per domain", accuracyChart(r));
        page.chart("Mutual information per layer", LayerSelectionReport.chart(r.layers(), OptionalInt.of(r.layer())));
        page.chart("Training loss of the base model", lossChart("Base model training",
                Map.of("loss", r.base().losses())));
        for (MethodResult m : r.methods()) {
            page.chart(m.name() + " losses", lossChart(m.name() + " unlearning", m.losses()));
        }
        auditSection(page, r);
        page.write(file);
    }

    /**
     * Links to each method's own audit page with its verdict and worst case, then one chart per attack with
     * every model's curve: the base model's (the control) and each method's.
     */
    private static void auditSection(HtmlPage page, DemoResults r) throws IOException {
        Map<String, AuditReport> audits = r.audits();
        if (audits.isEmpty()) {
            return;
        }
        AuditReport any = audits.values().iterator().next();
        page.heading(2, "Audit").paragraph(String.format("falcon audit's battery on every model: each attack tries "
                + "to get the answers to the %d forget questions the relearning attack never shows back out, at "
                + "each of its budgets (relearning trains on the statements about the other forget entities). The "
                + "base model is the control: what an attack itself destroys. A method passes when no attack at any "
                + "budget takes it above the forget limit and it keeps its retain accuracy.", any.forgetQuestions()));
        page.html("<ul>\n");
        audits.forEach((name, a) -> page.html(String.format("<li><a href=\"audit-%s/audit.html\">%s</a>: %s; worst "
                + "case %s (%s)</li>%n", name, HtmlPage.escape(name), HtmlPage.escape(DemoResults.verdict(a)),
                HtmlPage.escape(a.worstCase().accuracy().percent()), HtmlPage.escape(a.worstCase().label()))));
        page.html("</ul>\n");
        for (AttackBattery.Planned p : any.battery().planned()) {
            String attack = p.attack().name();
            Map<String, AttackCurve> curves = new LinkedHashMap<>();
            curves.put("base", any.original().curves().get(attack));
            audits.forEach((name, a) -> curves.put(name, a.unlearned().curves().get(attack)));
            page.chart(attack, AuditPage.curveChart(p, curves, any.chance(), any.forgetLimit()));
        }
    }

    private static JFreeChart accuracyChart(DemoResults r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        r.baseScores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc.value(), "base", domain));
        for (MethodResult m : r.methods()) {
            m.scores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc.value(), m.name(), domain));
        }
        return Charts.accuracyBars("MCQ accuracy (" + r.form().id() + ")", "domain", data);
    }

    private static JFreeChart lossChart(String title, Map<String, List<Double>> losses) {
        XYSeriesCollection data = new XYSeriesCollection();
        losses.forEach((name, values) -> {
            XYSeries series = new XYSeries(name);
            for (int i = 0; i < values.size(); i++) {
                series.add(i, values.get(i));
            }
            data.addSeries(series);
        });
        return Charts.lines(title, "step", "loss", data);
    }
}
