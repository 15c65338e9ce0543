package dev.falcon.demo;

import dev.falcon.io.AtomicFiles;
import dev.falcon.layers.LayerSelectionReport;
import dev.falcon.unlearn.FalconSettings;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * report.html: one self-contained page (charts are PNG data URIs rendered by JFreeChart) with the
 * summary table, accuracy per domain before and after each method, MI per layer, loss curves, and
 * the recovery attacks on every model side by side.
 */
public final class DemoReport {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;

    private DemoReport() {
    }

    /** Writes the page atomically. */
    public static void write(DemoResults r, Path file) throws IOException {
        // Charts are rendered off-screen; without this AWT would look for a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>FALCON demo</title><link rel=\"icon\" href=\"data:,\">"
                + "<style>body{font-family:sans-serif;max-width:800px;margin:auto}"
                + "td,th{padding:2px 8px;text-align:right}</style></head><body>\n<h1>FALCON demo</h1>\n");
        html.append(String.format("<p>Seed %d. Base model: %s, %s (training took %.0f s). MCQ form: %s. Both methods "
                        + "unlearned at layer %d (editing layers %s); lowest mutual information: layer %s.</p>%n",
                r.world().settings().seed(), escape(r.base().folder().toString()),
                r.base().cached() ? "read from the cache" : "trained in this run", r.base().trainSeconds(),
                r.form().id(), r.layer(), FalconSettings.officialLayers(r.layer()),
                r.layers().selected().isPresent() ? r.layers().selected().getAsInt() : "none"));
        html.append("<pre>").append(escape(r.table())).append("</pre>\n<ul>\n");
        r.methods().forEach(m -> html.append(String.format("<li>%s: %s (%.1f s)</li>%n", m.name(), escape(m.note()),
                m.seconds())));
        html.append("</ul>\n");
        image(html, "Accuracy per domain", accuracyChart(r));
        image(html, "Mutual information per layer", LayerSelectionReport.chart(r.layers(), OptionalInt.of(r.layer())));
        image(html, "Training loss of the base model", lossChart("Base model training",
                Map.of("loss", r.base().losses())));
        for (MethodResult m : r.methods()) {
            image(html, m.name() + " losses", lossChart(m.name() + " unlearning", m.losses()));
        }
        attackSection(html, r);
        html.append("</body></html>\n");
        AtomicFiles.writeString(file, html.toString());
    }

    private static void attackSection(StringBuilder html, DemoResults r) throws IOException {
        html.append("<h2>Recovery attacks</h2>\n<p>Each attack tries to get the forget domains' answers back out of "
                + "every model. Logit lens: the final norm and unembedding applied after every block. Relearning: "
                + String.format("%d fine-tuning steps on the statements about a quarter of the forget entities, ",
                DemoAttacks.RELEARN_STEPS) + "scored on the questions about the others, which it never sees. "
                + "Jailbreak: six prompt templates before the forget questions.</p>\n");
        image(html, "Logit lens", lensChart(r));
        image(html, "Relearning", relearnChart(r));
        image(html, "Jailbreak prompts", jailbreakChart(r));
    }

    private static JFreeChart lensChart(DemoResults r) {
        XYSeriesCollection data = new XYSeriesCollection();
        r.attacks().forEach((name, a) -> {
            data.addSeries(percentSeries(name + " forget", a.forgetLens().accuracyByLayer()));
            data.addSeries(percentSeries(name + " retain", a.retainLens().accuracyByLayer()));
        });
        return lineChart("MCQ accuracy read after each block", "layer", data);
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
        return lineChart("Held-out forget accuracy while relearning", "fine-tuning step", data);
    }

    private static JFreeChart jailbreakChart(DemoResults r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        r.attacks().forEach((name, a) -> {
            data.addValue(100 * a.jailbreak().baseline(), name, "none");
            a.jailbreak().accuracyByTemplate().forEach((template, acc) -> data.addValue(100 * acc, name, template));
        });
        return barChart("Forget accuracy behind each prompt template", "template", data);
    }

    /** Accuracy in percent against {@code xLabel}, on a fixed 0-100 scale so that charts compare. */
    private static JFreeChart lineChart(String title, String xLabel, XYSeriesCollection data) {
        JFreeChart chart = xyChart(title, xLabel, "accuracy (%)", data);
        chart.getXYPlot().getRangeAxis().setRange(0, 105);
        return chart;
    }

    private static JFreeChart xyChart(String title, String xLabel, String yLabel, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static JFreeChart barChart(String title, String xLabel, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, xLabel, "accuracy (%)", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static JFreeChart accuracyChart(DemoResults r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        r.baseScores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc.value(), "base", domain));
        for (MethodResult m : r.methods()) {
            m.scores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc.value(), m.name(), domain));
        }
        return barChart("MCQ accuracy (" + r.form().id() + ")", "domain", data);
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
        return xyChart(title, "step", "loss", data);
    }

    private static void image(StringBuilder html, String heading, JFreeChart chart) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
        html.append("<h2>").append(escape(heading)).append("</h2>\n<img alt=\"").append(escape(heading))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\">\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
