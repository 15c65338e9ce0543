package dev.falcon.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The charts of the project's HTML reports (JFreeChart, rendered off-screen): accuracy lines and bars on a
 * fixed 0-105% scale so that charts compare, loss lines, and accuracy over named budgets with confidence
 * intervals as error bars.
 */
public final class Charts {

    /** A horizontal line across a chart, e.g. chance. */
    public record Marker(String label, double value, Color colour) {
    }

    private Charts() {
    }

    /** Accuracy in percent against {@code xLabel}. */
    public static JFreeChart accuracyLines(String title, String xLabel, XYSeriesCollection data) {
        JFreeChart chart = lines(title, xLabel, "accuracy (%)", data);
        chart.getXYPlot().getRangeAxis().setRange(0, 105);
        return chart;
    }

    /** Any quantity (a loss) against {@code xLabel}. */
    public static JFreeChart lines(String title, String xLabel, String yLabel, XYSeriesCollection data) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        plain(chart.getXYPlot());
        return chart;
    }

    /** Accuracy in percent by category (domain, template), one bar per series. */
    public static JFreeChart accuracyBars(String title, String xLabel, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, xLabel, "accuracy (%)", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /**
     * Accuracy in percent at each of {@code budgets} (the x axis names them, in order), each series with
     * its interval as error bars ({@link YIntervalSeries} x = budget index), and {@code markers} across.
     */
    public static JFreeChart accuracyWithIntervals(String title, String budgetAxis, List<String> budgets,
                                                   YIntervalSeriesCollection data, List<Marker> markers) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, budgetAxis, "accuracy (%)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plain(plot);
        plot.setDomainAxis(new SymbolAxis(budgetAxis, budgets.toArray(String[]::new)));
        plot.getRangeAxis().setRange(0, 105);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        renderer.setCapLength(6);
        plot.setRenderer(renderer);
        for (Marker m : markers) {
            ValueMarker line = new ValueMarker(m.value(), m.colour(), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            line.setLabel(m.label());
            plot.addRangeMarker(line);
        }
        return chart;
    }

    private static void plain(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
