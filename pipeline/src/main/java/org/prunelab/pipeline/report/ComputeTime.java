package org.prunelab.pipeline.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.io.CsvTable;
import org.prunelab.pipeline.store.StepManifest;

/**
 * What a sweep's points cost, from the seconds each step's manifest recorded when it was computed
 * (whichever process or worker computed it, however long ago): {@code compute-time.csv} with one row
 * per point, and a summary that counts each step identity once, since a dense training shared by
 * several points ran once. Wall-clock time of a sweep depends on how many steps ran side by side;
 * these are the steps' own times.
 */
public final class ComputeTime {
    private ComputeTime() {
    }

    /** Per step name: how many distinct steps and their seconds (mean, min, max). */
    public record StepTimes(String step, int count, double mean, double min, double max) {
    }

    public record Summary(Path file, int points, int distinctSteps, double distinctSeconds, double meanPointSeconds,
                          List<StepTimes> byStep) {
        /** Lines for the terminal and the report. */
        public String describe() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "compute time: %d points, %d distinct steps, %.0f s of step time (%.2f h); a point's steps"
                            + " %.0f s on average (shared steps counted in every point they feed)%n",
                    points, distinctSteps, distinctSeconds, distinctSeconds / 3600, meanPointSeconds));
            for (StepTimes t : byStep) {
                s.append(String.format(Locale.ROOT, "  %-10s %4d steps, %8.1f s mean [%.1f, %.1f]%n", t.step(), t.count(),
                        t.mean(), t.min(), t.max()));
            }
            return s.toString();
        }
    }

    public static Summary write(List<FinishedPoint> points, Path dir) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, StepManifest> distinct = new LinkedHashMap<>();
        double pointSeconds = 0;
        for (FinishedPoint p : points) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("point", p.index());
            p.axes().forEach(row::put);
            double total = 0;
            for (Map.Entry<String, StepManifest> e : p.manifests().entrySet()) {
                row.put(e.getKey() + "_seconds", e.getValue().seconds());
                total += e.getValue().seconds();
                distinct.putIfAbsent(e.getValue().identity(), e.getValue());
            }
            row.put("total_seconds", total);
            pointSeconds += total;
            rows.add(row);
        }
        Path file = dir.resolve("compute-time.csv");
        CsvTable.write(file, rows);
        Map<String, DoubleSummaryStatistics> byName = new TreeMap<>();
        double distinctSeconds = 0;
        for (StepManifest m : distinct.values()) {
            byName.computeIfAbsent(m.step(), k -> new DoubleSummaryStatistics()).accept(m.seconds());
            distinctSeconds += m.seconds();
        }
        List<StepTimes> byStep = new ArrayList<>();
        byName.forEach((name, t) -> byStep.add(new StepTimes(name, (int) t.getCount(), t.getAverage(), t.getMin(),
                t.getMax())));
        return new Summary(file, points.size(), distinct.size(), distinctSeconds,
                points.isEmpty() ? 0 : pointSeconds / points.size(), List.copyOf(byStep));
    }
}
