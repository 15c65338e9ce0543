package dev.falcon.bench;

import java.util.List;
import java.util.Locale;

/** The comparison as one Markdown table: method | forget quality | model utility | forget ROUGE-L. */
public final class TofuTable {

    private TofuTable() {
    }

    public static String format(List<TofuRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| method | forget quality | model utility | forget ROUGE-L |\n");
        out.append("|---|---|---|---|\n");
        for (TofuRow r : rows) {
            out.append("| ").append(r.name())
                    .append(" | ").append(number(r.forgetQuality()))
                    .append(" | ").append(number(r.modelUtility()))
                    .append(" | ").append(number(r.forgetRougeL()))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Three significant digits: forget quality spans many orders of magnitude (1 down to 1e-20 and below). */
    static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }
}
