package org.prunelab.pipeline.report;

import java.util.Locale;

/**
 * The x axis for a fraction removed c (sparsity, compression): plotted at −log10(1 − c), labelled
 * with c. On a linear axis everything of interest (0.9, 0.95, 0.99, 0.999) is squeezed into the
 * last tenth; on this one each extra "9" gets the same width, and 0 stays at 0.
 */
final class RemovedFractionAxis {
    /** Beyond this, 1 − c is below double precision noise for our grids; clip instead of plotting infinity. */
    static final double MAX_FRACTION = 0.99999;

    private RemovedFractionAxis() {
    }

    /** The axis position of MAX_FRACTION, exactly: −log10(1 − 0.99999) is 5.000000000001976 in doubles. */
    static final double MAX_AXIS = 5.0;

    static double toAxis(double c) {
        // Clipped to a round number: at 5.000000000001976 XChart 3.8.8's tick loop never ends (its step no
        // longer moves the tick value), which hung the report of a schedule that ends at compression 1.0.
        return c >= MAX_FRACTION ? MAX_AXIS : -Math.log10(1 - c);
    }

    static double fromAxis(double x) {
        return 1 - Math.pow(10, -x);
    }

    /** Tick label: the fraction c at this axis position, with as many digits as it needs (0.9, 0.99, 0.684). */
    static String label(double x) {
        double c = fromAxis(x);
        if (Math.abs(c) < 1e-9) {
            return "0";
        }
        int digits = Math.max(1, (int) Math.ceil(x) + 1);
        String s = String.format(Locale.ROOT, "%." + Math.min(digits, 5) + "f", c);
        return s.contains(".") ? s.replaceFirst("0+$", "").replaceFirst("\\.$", "") : s;
    }
}
