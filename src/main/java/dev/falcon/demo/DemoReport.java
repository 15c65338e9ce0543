package dev.falcon.demo;

import dev.falcon.io.AtomicFiles;
import dev.falcon.layers.LayerSelectionReport;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * report.html: one self-contained page (charts are PNG data URIs rendered by JFreeChart) with the
 * summary table, accuracy per domain before and after each method, MI per layer, and loss curves.
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
                + "<title>FALCON demo</title><style>body{font-family:sans-serif;max-width:800px;margin:auto}"
                + "td,th{padding:2px 8px;text-align:right}</style></head><body>\n<h1>FALCON demo</h1>\n");
        html.append(String.format("<p>Base model: %s, %s (training took %.0f s). MCQ form: %s. Layer chosen by "
                        + "MI: %d.</p>%n", escape(r.base().folder().toString()),
                r.base().cached() ? "read from the cache" : "trained in this run", r.base().trainSeconds(),
                r.mcqForm(), r.layer()));
        html.append("<pre>").append(escape(r.table())).append("</pre>\n<ul>\n");
        r.methods().forEach(m -> html.append(String.format("<li>%s: %s (%.1f s)</li>%n", m.name(), escape(m.note()),
                m.seconds())));
        html.append("</ul>\n");
        image(html, "Accuracy per domain", accuracyChart(r));
        image(html, "Mutual information per layer", LayerSelectionReport.chart(r.layers()));
        image(html, "Training loss of the base model", lossChart("Base model training",
                Map.of("loss", r.base().losses())));
        for (MethodResult m : r.methods()) {
            image(html, m.name() + " losses", lossChart(m.name() + " unlearning", m.losses()));
        }
        html.append("</body></html>\n");
        AtomicFiles.writeString(file, html.toString());
    }

    private static JFreeChart accuracyChart(DemoResults r) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        r.baseScores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc, "base", domain));
        for (MethodResult m : r.methods()) {
            m.scores().accuracy().forEach((domain, acc) -> data.addValue(100 * acc, m.name(), domain));
        }
        JFreeChart chart = ChartFactory.createBarChart("MCQ accuracy (" + r.mcqForm() + ")", "domain",
                "accuracy (%)", data, PlotOrientation.VERTICAL, true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
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
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "loss", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
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
