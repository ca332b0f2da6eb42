package org.prunelab.pipeline.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.store.StepManifest;

/**
 * Adds each point's convergence record to its report row (rbm-dilution protocol §4 "Convergence")
 * and splits the rows into converged and not. The record that counts is that of the last training
 * step that trained (logged {@code converged}): the retraining when there is one, else the first
 * training. A point whose steps logged no record at all (a family without one) counts as converged,
 * so the split changes nothing for other studies.
 */
public final class ConvergenceColumns {
    /** The steps searched, last first. */
    static final List<String> TRAINING_STEPS = List.of("retrain", "train");

    private ConvergenceColumns() {
    }

    /** Rows split by the flag; {@code all} keeps every row, with the columns added. */
    public record Split(List<Map<String, Object>> all, List<Map<String, Object>> converged,
                       List<Map<String, Object>> excluded) { }

    /** Copies the rows, adding {@code converged}, {@code converged_step}, {@code convergence.range} and {@code .slope}. */
    public static Split apply(List<Map<String, Object>> rows, List<FinishedPoint> points) {
        Map<Integer, FinishedPoint> byIndex = new LinkedHashMap<>();
        for (FinishedPoint p : points) {
            if (byIndex.put(p.index(), p) != null) {
                throw new IllegalArgumentException("two finished points are numbered " + p.index()
                        + ": rows could not be joined to their own runs");
            }
        }
        List<Map<String, Object>> all = new ArrayList<>();
        List<Map<String, Object>> converged = new ArrayList<>();
        List<Map<String, Object>> excluded = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> out = new LinkedHashMap<>(row);
            FinishedPoint point = byIndex.get((int) PointTable.number(row.get("point")));
            boolean ok = true;
            if (point != null) {
                for (String step : TRAINING_STEPS) {
                    StepManifest m = point.manifests().get(step);
                    Map<String, Double> metrics = m == null ? null : m.finalMetrics();
                    if (metrics != null && metrics.containsKey("converged")) {
                        ok = metrics.get("converged") >= 0.5;
                        out.put("converged", ok ? 1 : 0);
                        out.put("converged_step", step);
                        out.put("convergence.range", metrics.getOrDefault("convergence.range", Double.NaN));
                        out.put("convergence.slope", metrics.getOrDefault("convergence.slope", Double.NaN));
                        break;
                    }
                }
            }
            all.add(out);
            (ok ? converged : excluded).add(out);
        }
        return new Split(all, converged, excluded);
    }
}
