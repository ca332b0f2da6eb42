package org.prunelab.pipeline.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.CsvTable;

/**
 * The referee's view of a study (rbm-dilution protocol §6, §8): which runs converged, what every
 * claim's seed-paired difference and verdict are, whether the collapse is sharp, and where each
 * group's transition lies. Only converged runs enter any number; the others are counted and named.
 *
 * <p>Files: {@code convergence.csv} (every point's record), {@code means-converged.csv} (mean, sd,
 * count per group, x and metric, with the excluded runs named), {@code claims.csv},
 * {@code curve-models.csv}, {@code transitions.csv} and {@code claims.md} (the tables for a README).
 */
public final class RbmClaimsReport {
    private RbmClaimsReport() {
    }

    /** What was written, and the numbers worth logging on the sweep run. */
    public record Written(List<Path> files, Map<String, Double> metrics) { }

    public static Written write(StudySettings s, List<Map<String, Object>> rows, List<FinishedPoint> points, Path dir)
            throws IOException {
        ConvergenceColumns.Split split = ConvergenceColumns.apply(rows, points);
        List<Path> files = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();

        files.add(convergence(s, split, dir.resolve("convergence.csv")));
        metrics.put("claims.points", (double) split.all().size());
        metrics.put("claims.nonconverged_points", (double) split.excluded().size());
        md.append(String.format(Locale.ROOT, "Converged runs: %d of %d (the others are excluded from every number",
                split.converged().size(), split.all().size()));
        md.append(split.excluded().isEmpty() ? ").\n\n" : "; named in convergence.csv): " + names(s, split.excluded())
                + ".\n\n");

        files.add(means(s, split, dir.resolve("means-converged.csv")));

        List<SeedPairedContrast> contrasts = SeedPairedContrast.parseAll("report.claims", s.claims());
        if (!contrasts.isEmpty()) {
            List<Map<String, Object>> out = new ArrayList<>();
            md.append("| claim | metric | a − b | expected | seed-paired difference, 95 % interval | verdict |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (SeedPairedContrast c : contrasts) {
                SeedPairedContrast.Outcome o = c.evaluate(split.converged(), s.x(), s.group());
                out.add(o.row());
                md.append(String.format(Locale.ROOT, "| %s | %s | %s − %s | %s | %s | %s |%n", c.label(), c.metric(),
                        o.row().get("a"), o.row().get("b"), o.row().get("expected"), o.summary(), o.verdict()));
                String key = "claims." + c.label().replaceAll("[^A-Za-z0-9_.-]", "_");
                metrics.put(key + ".mean_difference", o.mean());
                metrics.put(key + ".ci95_low", o.low());
                metrics.put(key + ".ci95_high", o.high());
                metrics.put(key + ".pairs", (double) o.pairs());
            }
            md.append('\n');
            Path file = dir.resolve("claims.csv");
            CsvTable.write(file, out);
            files.add(file);
        }

        List<String[]> curves = s.curveModels();
        if (!curves.isEmpty()) {
            List<Map<String, Object>> models = new ArrayList<>();
            List<Map<String, Object>> transitions = new ArrayList<>();
            md.append("| curve | best model (AICc) | ΔAICc best smooth − logistic | logistic centre, bootstrap 95 % interval"
                    + " | 10–90 % width, 95 % interval | sharp? |\n|---|---|---|---|---|---|\n");
            for (String[] gm : curves) {
                Map<String, double[][]> series = series(s, split.converged(), gm[0], gm[1]);
                String label = gm[0] + ":" + gm[1];
                if (!TransitionFit.anyFittable(series)) {
                    md.append("| ").append(label).append(" | too few converged points | | | | |\n");
                    continue;
                }
                // The curve models fit the pooled points, so a seed run only near the transition
                // (transition.seeds) adds its points there; the transition's per-seed fits leave it out.
                CurveModels.Result r = CurveModels.compare(series, s.sharpWidth(), 20251130L);
                models.addAll(r.rows(label));
                TransitionFit.Result t = TransitionFit.pooled(series, 20251101L);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("curve", label);
                row.put("series", t.perSeries().size()); // the seeds with a curve of their own
                row.put("critical", t.critical());
                row.put("ci95_low", t.lower());
                row.put("ci95_high", t.upper());
                transitions.add(row);
                md.append(String.format(Locale.ROOT, "| %s | %s | %+.1f | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %s |%n",
                        label, r.best(), r.deltaToNextSmooth(), t.critical(), t.lower(), t.upper(), r.width(),
                        r.widthLow(), r.widthHigh(), r.verdict()));
                String key = "curve." + label.replaceAll("[^A-Za-z0-9_.-]", "_");
                metrics.put(key + ".critical", t.critical());
                metrics.put(key + ".width_10_90", r.width());
                metrics.put(key + ".delta_aicc", r.deltaToNextSmooth());
            }
            md.append('\n');
            Path mf = dir.resolve("curve-models.csv");
            CsvTable.write(mf, models);
            files.add(mf);
            Path tf = dir.resolve("transitions.csv");
            CsvTable.write(tf, transitions);
            files.add(tf);
        }
        metrics.values().removeIf(v -> !Double.isFinite(v)); // e.g. the interval of a single pair
        Path mdFile = dir.resolve("claims.md");
        AtomicFiles.writeString(mdFile, md.toString());
        files.add(mdFile);
        return new Written(files, metrics);
    }

    /** Per seed, the (x, metric) points of one group. */
    static Map<String, double[][]> series(StudySettings s, List<Map<String, Object>> rows, String group, String metric) {
        Map<String, TreeMap<Double, Double>> bySeed = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            if (!String.valueOf(row.getOrDefault(s.group(), "all")).equals(group)) {
                continue;
            }
            double x = PointTable.number(row.get(s.x()));
            double y = PointTable.number(row.get(metric));
            if (Double.isNaN(x) || Double.isNaN(y)) {
                continue;
            }
            bySeed.computeIfAbsent(String.valueOf(row.getOrDefault("seed", "1")), k -> new TreeMap<>())
                    .put(Math.round(x * 1e4) / 1e4, y);
        }
        Map<String, double[][]> out = new TreeMap<>();
        bySeed.forEach((seed, points) -> out.put(seed, new double[][] {
                points.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                points.values().stream().mapToDouble(Double::doubleValue).toArray()}));
        return out;
    }

    private static Path convergence(StudySettings s, ConvergenceColumns.Split split, Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : split.all()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("point", row.get("point"));
            r.put(s.group(), row.getOrDefault(s.group(), "all"));
            r.put(s.x(), row.get(s.x()));
            r.put("seed", row.getOrDefault("seed", "1"));
            r.put("converged", row.getOrDefault("converged", ""));
            r.put("converged_step", row.getOrDefault("converged_step", ""));
            r.put("convergence.range", row.getOrDefault("convergence.range", ""));
            r.put("convergence.slope", row.getOrDefault("convergence.slope", ""));
            out.add(r);
        }
        CsvTable.write(file, out);
        return file;
    }

    private static Path means(StudySettings s, ConvergenceColumns.Split split, Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String y : s.y()) {
            Map<String, TreeMap<Double, List<Double>>> kept = grouped(s, split.converged(), y);
            Map<String, TreeMap<Double, List<String>>> dropped = new TreeMap<>();
            for (Map<String, Object> row : split.excluded()) {
                dropped.computeIfAbsent(String.valueOf(row.getOrDefault(s.group(), "all")), k -> new TreeMap<>())
                        .computeIfAbsent(Math.round(PointTable.number(row.get(s.x())) * 1e4) / 1e4, k -> new ArrayList<>())
                        .add("seed " + row.getOrDefault("seed", "1"));
            }
            TreeSet<String> groups = new TreeSet<>(kept.keySet());
            groups.addAll(dropped.keySet());
            for (String g : groups) {
                TreeSet<Double> xs = new TreeSet<>(kept.getOrDefault(g, new TreeMap<>()).keySet());
                xs.addAll(dropped.getOrDefault(g, new TreeMap<>()).keySet());
                for (double x : xs) {
                    List<Double> v = kept.getOrDefault(g, new TreeMap<>()).getOrDefault(x, List.of());
                    List<String> gone = dropped.getOrDefault(g, new TreeMap<>()).getOrDefault(x, List.of());
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("metric", y);
                    r.put(s.group(), g);
                    r.put(s.x(), x);
                    r.put("converged_runs", v.size());
                    r.put("mean", v.isEmpty() ? "" : SweepReport.mean(v));
                    r.put("sd", v.size() < 2 ? "" : SweepReport.sd(v));
                    r.put("excluded_runs", gone.size());
                    r.put("excluded", String.join(" ", gone));
                    out.add(r);
                }
            }
        }
        CsvTable.write(file, out);
        return file;
    }

    private static Map<String, TreeMap<Double, List<Double>>> grouped(StudySettings s, List<Map<String, Object>> rows,
                                                                  String y) {
        Map<String, TreeMap<Double, List<Double>>> out = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            double x = PointTable.number(row.get(s.x()));
            double v = PointTable.number(row.get(y));
            if (Double.isNaN(x) || Double.isNaN(v)) {
                continue;
            }
            out.computeIfAbsent(String.valueOf(row.getOrDefault(s.group(), "all")), k -> new TreeMap<>())
                    .computeIfAbsent(Math.round(x * 1e4) / 1e4, k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String names(StudySettings s, List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            out.add(row.getOrDefault(s.group(), "all") + "@" + RunLabels.number(PointTable.number(row.get(s.x())))
                    + " seed " + row.getOrDefault("seed", "1"));
        }
        return String.join(", ", out);
    }
}
