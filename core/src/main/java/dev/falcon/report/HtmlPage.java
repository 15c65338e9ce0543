package dev.falcon.report;

import dev.falcon.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * One self-contained HTML page: everything inline (charts as PNG data URIs, the style in the head), so
 * that it opens offline and loads nothing at run time.
 */
public final class HtmlPage {

    /** Chart size in CSS pixels. */
    public static final int CHART_WIDTH = 720;
    public static final int CHART_HEIGHT = 400;

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private final String style;

    /** {@code style}: CSS rules added to the page's own (a sans-serif column 800 px wide). */
    public HtmlPage(String title, String style) {
        this.title = title;
        this.style = style;
        // Charts are rendered off-screen; without this AWT would look for a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Raw markup, for what the other methods do not cover; the caller escapes its text. */
    public HtmlPage html(String markup) {
        body.append(markup);
        return this;
    }

    public HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A table with a header row; every cell is text. */
    public HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** The chart under a heading, as an inline PNG. */
    public HtmlPage chart(String heading, JFreeChart chart) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, CHART_WIDTH, CHART_HEIGHT);
        heading(2, heading);
        body.append("<img alt=\"").append(escape(heading)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\">\n");
        return this;
    }

    /** The whole document. */
    public String render() {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><link rel=\"icon\" href=\"data:,\"><style>body{font-family:sans-serif;max-width:800px;"
                + "margin:auto}td,th{padding:2px 8px;text-align:right}" + style + "</style></head><body>\n<h1>"
                + escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    /** Writes the page atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, render());
    }

    /** Text made safe inside elements and attribute values. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
