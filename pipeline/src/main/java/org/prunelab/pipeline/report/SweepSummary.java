package org.prunelab.pipeline.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.store.StepManifest;

/**
 * Summary metrics of a sweep for its MLflow run, so that sweeps compare in the runs table like
 * pipelines do: how many points finished, and per group (the report's {@code report.group} axis,
 * e.g. the variant) the mean over its finished points of each headline final metric of the last step
 * ({@code lth.evaluate.test_pll.mean}), plus the best group's mean ({@code best.evaluate.test_pll}).
 */
public final class SweepSummary {
    private SweepSummary() {
    }

    /**
     * @param finished the points that finished (reports see only those, as {@link FinishedPoint}s)
     * @param failed   how many points failed (counted by the engine)
     */
    public static Map<String, Double> metrics(StudySettings settings, List<FinishedPoint> finished, int failed,
                                              String lastStep) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Map<String, double[]>> sums = new TreeMap<>();
        int done = 0;
        for (FinishedPoint p : finished) {
            StepManifest m = p.manifests().get(lastStep);
            if (m == null || m.finalMetrics() == null) {
                continue;
            }
            done++;
            String group = String.valueOf(p.axes().getOrDefault(settings.group(), "all"));
            m.finalMetrics().forEach((k, v) -> {
                if (!k.contains(".") && v != null && Double.isFinite(v)) {
                    double[] s = sums.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(lastStep + "." + k,
                            x -> new double[2]);
                    s[0] += v;
                    s[1]++;
                }
            });
        }
        out.put("points.done", (double) done);
        out.put("points.failed", (double) failed);
        Map<String, Double> best = new TreeMap<>();
        sums.forEach((group, metrics) -> metrics.forEach((metric, s) -> {
            double mean = s[0] / s[1];
            out.put(group + "." + metric + ".mean", mean);
            // Higher is better for every headline metric we log except losses and errors.
            boolean lowerBetter = metric.contains("loss") || metric.contains("error");
            best.merge(metric, mean, (a, b) -> lowerBetter ? Math.min(a, b) : Math.max(a, b));
        }));
        if (sums.size() > 1) {
            best.forEach((metric, v) -> out.put("best." + metric, v));
        }
        return out;
    }
}
