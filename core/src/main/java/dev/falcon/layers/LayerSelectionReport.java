package dev.falcon.layers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes a layer selection as {@code layers.json} and {@code layers.png}, each atomically (a
 * temporary file in the same directory renamed over the target), so a reader never sees a
 * half-written report.
 *
 * <p>JSON: {@code {"layers":[{"layer","mi","h_forget","h_retain","h_joint","normalized",
 * "pca_components_forget","pca_components_retain","pca_components_joint"}...],"selected",
 * "estimator","eta"}}. The entropies and component counts are those of I(F1;R); with several
 * forget domains every term is listed under "terms". A failed layer has null numbers and an
 * "error"; "selected" is null when every layer failed.
 */
public final class LayerSelectionReport {

    public static final String JSON_FILE = "layers.json";
    public static final String CHART_FILE = "layers.png";

    private static final int CHART_WIDTH = 800;
    private static final int CHART_HEIGHT = 450;

    private LayerSelectionReport() {
    }

    /** Writes both files into {@code directory}, creating it if needed. */
    public static void write(LayerSelectionResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        writeJson(result, directory.resolve(JSON_FILE));
        writeChart(result, directory.resolve(CHART_FILE));
    }

    public static void writeJson(LayerSelectionResult result, Path file) throws IOException {
        AtomicFiles.writeString(file, Json.pretty(toJson(result)) + "\n");
    }

    static ObjectNode toJson(LayerSelectionResult result) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode layers = root.putArray("layers");
        for (LayerScore score : result.layers()) {
            layers.add(layerJson(score));
        }
        if (result.selected().isPresent()) {
            root.put("selected", result.selected().getAsInt());
        } else {
            root.putNull("selected");
        }
        root.put("estimator", result.estimator());
        root.put("eta", result.eta());
        return root;
    }

    private static ObjectNode layerJson(LayerScore score) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("layer", score.layer());
        if (score.isFailed()) {
            for (String field : new String[] {"mi", "h_forget", "h_retain", "h_joint", "normalized"}) {
                node.putNull(field);
            }
            node.put("error", score.failure());
            return node;
        }
        MiEstimate primary = score.primary();
        node.put("mi", score.mi());
        node.put("h_forget", primary.hX());
        node.put("h_retain", primary.hY());
        node.put("h_joint", primary.hJoint());
        node.put("normalized", score.normalized());
        node.put("pca_components_forget", primary.dimsX());
        node.put("pca_components_retain", primary.dimsY());
        node.put("pca_components_joint", primary.dimsJoint());
        if (score.terms().size() > 1) {
            ArrayNode terms = node.putArray("terms");
            for (MiTerm term : score.terms()) {
                terms.addObject().put("name", term.name()).put("weight", term.weight())
                        .put("mi", term.estimate().mi()).put("h_x", term.estimate().hX())
                        .put("h_y", term.estimate().hY()).put("h_joint", term.estimate().hJoint());
            }
        }
        return node;
    }

    /** MI per layer as a line with points, the selected layer marked by a vertical line. */
    public static void writeChart(LayerSelectionResult result, Path file) throws IOException {
        // Charts are rendered off-screen; without this AWT would look for a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        JFreeChart chart = chart(result, result.selected());
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ChartUtils.writeChartAsPNG(out, chart, CHART_WIDTH, CHART_HEIGHT);
            }
        });
    }

    /**
     * The MI-per-layer chart that {@link #writeChart} renders, with a marker on the lowest-MI layer and
     * one on {@code used}, the layer a caller unlearned at (the same, or one picked by another rule).
     */
    public static JFreeChart chart(LayerSelectionResult result, OptionalInt used) {
        XYSeries series = new XYSeries("MI");
        StringBuilder failed = new StringBuilder();
        for (LayerScore score : result.layers()) {
            if (score.isFailed()) {
                failed.append(failed.length() == 0 ? "estimate failed for layer " : ", ").append(score.layer());
            } else {
                series.add(score.layer(), score.mi());
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Mutual information per layer (" + result.estimator() + ")",
                "layer", "MI (nats)", new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        result.selected().ifPresent(layer -> {
            if (used.isEmpty() || used.getAsInt() != layer) {
                plot.addDomainMarker(marker(layer, "lowest MI: layer " + layer, Color.GRAY, result.layers().size()));
            }
        });
        used.ifPresent(layer -> plot.addDomainMarker(marker(layer, "used: layer " + layer, Color.RED,
                result.layers().size())));
        // room after the last layer, so that a marker there stays inside the plot
        plot.getDomainAxis().setUpperMargin(0.08);
        if (failed.length() > 0) {
            chart.addSubtitle(new TextTitle(failed.toString()));
        }
        return chart;
    }

    /** A vertical line at {@code layer}, its label on the side with more room. */
    private static ValueMarker marker(int layer, String label, Color color, int layers) {
        ValueMarker marker = new ValueMarker(layer, color, new BasicStroke(2f));
        marker.setLabel(label);
        boolean labelLeft = 2 * layer > layers - 1;
        marker.setLabelAnchor(labelLeft ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(labelLeft ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
        return marker;
    }
}
