package dev.falcon.demo;

import dev.falcon.layers.LayerSelectionReport;
import dev.falcon.report.Charts;
import dev.falcon.report.HtmlPage;
import dev.falcon.unlearn.FalconSettings;
import java.io.IOException;
import java.nio.file.Path;
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
 * the recovery attacks on every model side by side.
 */
public final class DemoReport {

    private DemoReport() {
    }

    /** Writes the page atomically. */
    public static void write(DemoResults r, Path file) throws IOException {
        HtmlPage page = new HtmlPage("FALCON demo", "");
        page.paragraph(String.format("Seed %d. Base model: %s, %s (training took %.0f s). MCQ form: %s. Both methods "
                        + "unlearned at layer %d (editing layers %s); lowest mutual information: layer %s.",
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
        attackSection(page, r);
        page.write(file);
    }

    private static void attackSection(HtmlPage page, DemoResults r) throws IOException {
        page.heading(2, "Recovery attacks").paragraph("Each attack tries to get the forget domains' answers back out "
                + "of every model. Logit lens: the final norm and unembedding applied after every block. Relearning: "
                + String.format("%d fine-tuning steps on the statements about a quarter of the forget entities, ",
                DemoAttacks.RELEARN_STEPS) + "scored on the questions about the others, which it never sees. "
                + "Jailbreak: six prompt templates before the forget questions.");
        page.chart("Logit lens", lensChart(r));
        page.chart("Relearning", relearnChart(r));
        page.chart("Jailbreak prompts", jailbreakChart(r));
    }

    private static JFreeChart lensChart(DemoResults r) {
        XYSeriesCollection data = new XYSeriesCollection();
        r.attacks().forEach((name, a) -> {
            data.addSeries(percentSeries(name + " forget", a.forgetLens().accuracyByLayer()));
            data.addSeries(percentSeries(name + " retain", a.retainLens().accuracyByLayer()));
        });
        return Charts.accuracyLines("MCQ accuracy read after each block", "layer", data);
    }

    private static XYSeries percentSeries(String name, List<Double> accuracyByLayer) {
        XYSeries series = new XYSeries(name);
        for (int l = 0; l < accuracyByLayer.size(); l++) {
            series.add(l, 100 * accuracyByLayer.get(l));
        }
        return series;
    }

    private static JFreeChart relearnChart(DemoResults r) {
        XYSeriesCollection data = new XYSeriesCollection();
        r.attacks().forEach((name, a) -> {
            XYSeries series = new XYSeries(name);
            a.relearn().curve().forEach(p -> series.add(p.step(), 100 * p.accuracy()));
            data.addSeries(series);
        });
        return Charts.accuracyLines("Held-out forget accuracy while relearning", "fine-tuning step", data);
    }

    private static JFreeChart jailbreakChart(DemoResults r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        r.attacks().forEach((name, a) -> {
            data.addValue(100 * a.jailbreak().baseline(), name, "none");
            a.jailbreak().accuracyByTemplate().forEach((template, acc) -> data.addValue(100 * acc, name, template));
        });
        return Charts.accuracyBars("Forget accuracy behind each prompt template", "template", data);
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
