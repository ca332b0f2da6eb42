package org.prunelab.pipeline.report;

import java.util.Locale;

/** Numbers in figure labels: at least two decimals for fractions (0.90), no float noise (0.1 not 0.10000001). */
final class RunLabels {
    private RunLabels() {
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String two = String.format(Locale.ROOT, "%.2f", v);
        if (Double.parseDouble(two) == v) {
            return two;
        }
        return String.format(Locale.ROOT, "%.4f", v).replaceFirst("0+$", "");
    }
}
