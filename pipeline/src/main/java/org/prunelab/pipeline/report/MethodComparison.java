package org.prunelab.pipeline.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.CsvTable;

/**
 * Every group (pruning method, regulariser) at chosen x values (e.g. 76.3 % and 82.2 % compression) with
 * seed-paired 95 % intervals against the best group there and against the dense network, the
 * published value next to ours, and the ordering of the groups called "established" only between
 * neighbours whose paired interval excludes 0 ({@code report.compare_at}; mlp-pruning protocol §2.6).
 *
 * <p>Pairing: the same seed means the same dense network and data order, so differences are taken per
 * seed and a t-interval is put on their mean (n − 1 degrees of freedom; no interval with fewer than 2
 * pairs). The dense value of a seed is its group's row at x = 0 (a pruning run's step 0 is its dense
 * input), or the {@code report.baseline_group}'s row at the same x when that is set (e.g. the
 * unregularised network among regularisers). Rows are matched to an x within 0.01, the nearest.
 * Writes {@code comparison.csv} and {@code comparison.md}; accuracies are shown in percent.
 */
public final class MethodComparison {
    static final double MATCH = 0.01;

    private MethodComparison() {
    }

    /** A mean with its 95 % t-interval half-width (NaN with fewer than two values). */
    record Estimate(int n, double mean, double half) {
        static Estimate of(List<Double> v) {
            double m = SweepReport.mean(v);
            double half = v.size() > 1 ? SweepReport.tQuantile(v.size() - 1) * SweepReport.sd(v) / Math.sqrt(v.size())
                    : Double.NaN;
            return new Estimate(v.size(), m, half);
        }

        double low() {
            return mean - half;
        }

        double high() {
            return mean + half;
        }

        /** The interval lies wholly above (1) or below (−1) zero, or covers it / is missing (0). */
        int sign() {
            if (Double.isNaN(half)) {
                return 0;
            }
            return low() > 0 ? 1 : high() < 0 ? -1 : 0;
        }
    }

    public static List<Path> write(StudySettings s, List<Map<String, Object>> rows, Path dir) throws IOException {
        List<Double> targets = s.compareAt();
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> table = new ArrayList<>();
        StringBuilder md = new StringBuilder("# Method comparison\n\n");
        md.append("Means over seeds with 95 % t-intervals; differences are seed-paired (same dense network and data"
                + " order). \"Ordering\" lists the groups by mean; `>` means the paired interval of the neighbours' "
                + "difference excludes 0 (established), `≈` that it does not. Values in %.\n");
        Map<String, Double> reference = reference(s.reference());
        for (String y : s.y()) {
            for (double x0 : targets) {
                Map<String, Map<String, Double>> byGroup = atX(s, rows, y, x0);
                if (byGroup.isEmpty()) {
                    continue;
                }
                Map<String, Map<String, Double>> dense = denseValues(s, rows, y, x0, byGroup.keySet());
                List<String> ranked = new ArrayList<>(byGroup.keySet());
                ranked.sort(Comparator.comparingDouble((String g) -> -SweepReport.mean(new ArrayList<>(
                        byGroup.get(g).values()))).thenComparing(g -> g));
                String best = ranked.get(0);
                md.append(String.format(Locale.ROOT, "%n## %s at %s = %.3f%n%n", y, s.x(), x0));
                md.append("| group | runs | ours (95 % CI) | − best (").append(best)
                        .append(") | − dense | authors |\n|---|---|---|---|---|---|\n");
                for (String g : ranked) {
                    Map<String, Double> v = byGroup.get(g);
                    Estimate ours = Estimate.of(new ArrayList<>(v.values()));
                    Estimate vsBest = Estimate.of(paired(v, byGroup.get(best)));
                    Estimate vsDense = Estimate.of(paired(v, dense.getOrDefault(g, Map.of())));
                    Double ref = nearestReference(reference, g, y, x0);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("metric", y);
                    row.put(s.x(), x0);
                    row.put("group", g);
                    row.put("runs", ours.n());
                    row.put("mean", ours.mean());
                    row.put("ci95_low", ours.low());
                    row.put("ci95_high", ours.high());
                    row.put("best_group", best);
                    row.put("minus_best", vsBest.mean());
                    row.put("minus_best_ci95_low", vsBest.low());
                    row.put("minus_best_ci95_high", vsBest.high());
                    row.put("dense_pairs", vsDense.n());
                    row.put("minus_dense", vsDense.mean());
                    row.put("minus_dense_ci95_low", vsDense.low());
                    row.put("minus_dense_ci95_high", vsDense.high());
                    row.put("authors", ref == null ? "" : ref);
                    table.add(row);
                    md.append("| ").append(g).append(" | ").append(ours.n()).append(" | ").append(withInterval(ours))
                            .append(" | ").append(g.equals(best) ? "—" : withInterval(vsBest)).append(" | ")
                            .append(vsDense.n() == 0 ? "" : withInterval(vsDense)).append(" | ")
                            .append(ref == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * ref)).append(" |\n");
                }
                md.append("\nOrdering: ").append(ordering(ranked, byGroup)).append('\n');
            }
        }
        Path csv = dir.resolve("comparison.csv");
        CsvTable.write(csv, table);
        Path markdown = dir.resolve("comparison.md");
        AtomicFiles.writeString(markdown, md.toString());
        return List.of(csv, markdown);
    }

    /** "a > b ≈ c": > where the paired interval of neighbours excludes 0. */
    static String ordering(List<String> ranked, Map<String, Map<String, Double>> byGroup) {
        StringBuilder o = new StringBuilder(ranked.get(0));
        for (int i = 1; i < ranked.size(); i++) {
            Estimate d = Estimate.of(paired(byGroup.get(ranked.get(i - 1)), byGroup.get(ranked.get(i))));
            o.append(d.sign() > 0 ? " > " : " ≈ ").append(ranked.get(i));
        }
        return o.toString();
    }

    private static String withInterval(Estimate e) {
        if (e.n() == 0) {
            return "";
        }
        return Double.isNaN(e.half()) ? String.format(Locale.ROOT, "%.2f", 100 * e.mean())
                : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", 100 * e.mean(), 100 * e.low(), 100 * e.high());
    }

    /** a − b per seed present in both. */
    static List<Double> paired(Map<String, Double> a, Map<String, Double> b) {
        List<Double> d = new ArrayList<>();
        for (var e : a.entrySet()) {
            Double other = b.get(e.getKey());
            if (other != null) {
                d.add(e.getValue() - other);
            }
        }
        return d;
    }

    /** group → seed → value at the x nearest x0 (within MATCH) that group has. */
    static Map<String, Map<String, Double>> atX(StudySettings s, List<Map<String, Object>> rows, String y, double x0) {
        Map<String, TreeMap<Double, Map<String, Double>>> all = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            double x = PointTable.number(row.get(s.x()));
            double v = PointTable.number(row.get(y));
            if (Double.isNaN(x) || Double.isNaN(v) || Math.abs(x - x0) > MATCH) {
                continue;
            }
            all.computeIfAbsent(String.valueOf(row.getOrDefault(s.group(), "all")), k -> new TreeMap<>())
                    .computeIfAbsent(x, k -> new TreeMap<>()).put(String.valueOf(row.getOrDefault("seed", "1")), v);
        }
        Map<String, Map<String, Double>> out = new TreeMap<>();
        all.forEach((g, byX) -> {
            double nearest = byX.keySet().stream().min(Comparator.comparingDouble(x -> Math.abs(x - x0))).orElseThrow();
            out.put(g, byX.get(nearest));
        });
        return out;
    }

    private static Map<String, Map<String, Double>> denseValues(StudySettings s, List<Map<String, Object>> rows, String y,
                                                                double x0, Iterable<String> groups) {
        Map<String, Map<String, Double>> dense = new TreeMap<>();
        if (!s.baselineGroup().equals("-")) {
            Map<String, Double> base = atX(s, rows, y, x0).getOrDefault(s.baselineGroup(), Map.of());
            groups.forEach(g -> dense.put(g, base));
            return dense;
        }
        for (Map<String, Object> row : rows) {
            double x = PointTable.number(row.get(s.x()));
            double v = PointTable.number(row.get(y));
            if (x == 0.0 && !Double.isNaN(v)) {
                dense.computeIfAbsent(String.valueOf(row.getOrDefault(s.group(), "all")), k -> new TreeMap<>())
                        .put(String.valueOf(row.getOrDefault("seed", "1")), v);
            }
        }
        return dense;
    }

    /** "group|metric|x" → value from the report.reference CSV, or empty. */
    private static Map<String, Double> reference(String path) throws IOException {
        Map<String, Double> ref = new LinkedHashMap<>();
        if (path.equals("-")) {
            return ref;
        }
        try (Reader reader = Files.newBufferedReader(Path.of(path));
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            for (CSVRecord r : csv) {
                ref.put(r.get("group") + "|" + r.get("metric") + "|" + r.get("x"), Double.parseDouble(r.get("value")));
            }
        }
        return ref;
    }

    private static Double nearestReference(Map<String, Double> ref, String group, String metric, double x0) {
        Double best = null;
        double distance = MATCH;
        for (var e : ref.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            if (k[0].equals(group) && k[1].equals(metric)) {
                double d = Math.abs(Double.parseDouble(k[2]) - x0);
                if (d <= distance) {
                    distance = d;
                    best = e.getValue();
                }
            }
        }
        return best;
    }
}
