package org.prunelab.stages.core;

import java.util.List;
import java.util.Map;

/**
 * Tracks whether a metric improved over the epoch history, by at least {@code minGain}; the shared
 * test of {@link EarlyStopping} and {@link PlateauRule}. Reads the history, so it needs no state of
 * its own and resumes exactly.
 */
record ImprovementWatch(String metric, boolean higherIsBetter, double minGain) {
    /** Epochs since the best value so far (0 = the last epoch was the best). */
    int epochsSinceBest(List<Map<String, Object>> history) {
        double best = Double.NaN;
        int bestAt = -1;
        for (int i = 0; i < history.size(); i++) {
            Object v = history.get(i).get(metric);
            if (!(v instanceof Number n)) {
                throw new IllegalStateException("epoch metrics have no numeric '" + metric + "'");
            }
            double x = n.doubleValue();
            double gain = higherIsBetter ? x - best : best - x;
            if (bestAt < 0 || gain >= minGain) {
                best = x;
                bestAt = i;
            }
        }
        return bestAt < 0 ? 0 : history.size() - 1 - bestAt;
    }
}
