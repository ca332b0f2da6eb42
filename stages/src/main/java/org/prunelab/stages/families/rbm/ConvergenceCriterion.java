package org.prunelab.stages.families.rbm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Did a training settle? (rbm-dilution protocol §4 "Convergence".) Looks at the monitored metric
 * (test pseudo-log-likelihood per epoch) over the last {@code window} epochs, i.e. the last
 * {@code window + 1} values, and records three numbers:
 * <ul>
 *   <li>{@code change}: last value minus the value {@code window} epochs earlier (signed);</li>
 *   <li>{@code range}: largest minus smallest value in the window (swings and drift together);</li>
 *   <li>{@code slope}: least-squares slope over the window, per epoch.</li>
 * </ul>
 * A run converged when the range is at most {@code threshold} and the slope, extrapolated over one
 * more window, would also stay within it ({@code |slope|·window <= threshold}). The range alone
 * catches a metric that swings; the slope test catches a steady climb that happens to have a small
 * range because the window is short. Too few epochs to fill the window is "not converged": a run
 * that cannot show it settled is not assumed to have settled.
 */
public record ConvergenceCriterion(int window, double threshold) {

    public ConvergenceCriterion {
        if (window < 1) {
            throw new IllegalArgumentException("convergence window must be >= 1 epoch, got " + window);
        }
        if (!(threshold > 0) || !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("convergence threshold must be finite and > 0, got " + threshold);
        }
    }

    /** The verdict on one training; NaN numbers when the history is shorter than the window. */
    public record Verdict(double change, double range, double slope, boolean converged, int epochs) {
        /**
         * As metrics: {@code convergence.change}, {@code .range}, {@code .slope} (left out when the
         * history is too short: NaN is not valid JSON), {@code .epochs} and {@code converged} (1/0).
         */
        public Map<String, Double> asMetrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            if (Double.isFinite(range)) {
                m.put("convergence.change", change);
                m.put("convergence.range", range);
                m.put("convergence.slope", slope);
            }
            m.put("convergence.epochs", (double) epochs);
            m.put("converged", converged ? 1.0 : 0.0);
            return m;
        }
    }

    /** Judges a per-epoch series (oldest first). */
    public Verdict assess(double[] series) {
        int n = series.length;
        if (n < window + 1) {
            return new Verdict(Double.NaN, Double.NaN, Double.NaN, false, n);
        }
        int from = n - window - 1;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sx = 0;
        double sy = 0;
        for (int i = from; i < n; i++) {
            if (!Double.isFinite(series[i])) {
                return new Verdict(Double.NaN, Double.NaN, Double.NaN, false, n);
            }
            min = Math.min(min, series[i]);
            max = Math.max(max, series[i]);
            sx += i;
            sy += series[i];
        }
        int m = window + 1;
        double mx = sx / m;
        double my = sy / m;
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i < n; i++) {
            sxy += (i - mx) * (series[i] - my);
            sxx += (i - mx) * (i - mx);
        }
        double slope = sxy / sxx;
        double range = max - min;
        boolean converged = range <= threshold && Math.abs(slope) * window <= threshold;
        return new Verdict(series[n - 1] - series[from], range, slope, converged, n);
    }

    /** The column {@code metric} of a training history (rows of epoch metrics), oldest first. */
    public static double[] column(List<Map<String, Object>> history, String metric) {
        double[] out = new double[history.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = history.get(i).get(metric);
            out[i] = v instanceof Number num ? num.doubleValue() : Double.NaN;
        }
        return out;
    }
}
