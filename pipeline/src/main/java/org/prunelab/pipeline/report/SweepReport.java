package org.prunelab.pipeline.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.image.ImageGrid;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.CsvTable;
import org.prunelab.stages.io.Npy;

/**
 * The figures and tables of a sweep: {@code points.csv} (every row, readable by pandas), one plot
 * per reported column (mean ± standard deviation over seeds against x, one curve per group, the
 * transition and its interval marked), {@code paired.csv} (seed-paired differences between groups
 * with 95 % t-intervals) and a montage of generated samples across x.
 */
public final class SweepReport {
    private SweepReport() {
    }

    /** Writes everything into {@code dir}; returns the files written. */
    public static List<Path> write(StudySettings settings, List<Map<String, Object>> rows,
                                   List<FinishedPoint> results, StepStore store,
                                   Optional<TransitionFit.Result> transition, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        // With the referee report on, every figure and paired difference is of converged runs only,
        // as every number of claims.md is; points.csv keeps every row, with its convergence columns.
        List<Map<String, Object>> shown = rows;
        if (settings.convergenceReport()) {
            ConvergenceColumns.Split split = ConvergenceColumns.apply(rows, results);
            rows = split.all();
            shown = split.converged();
        }
        Path csv = dir.resolve("points.csv");
        CsvTable.write(csv, rows);
        files.add(csv);
        if (settings.hasPlots()) {
            for (String y : settings.y()) {
                files.addAll(plot(settings, shown, y, transition, dir));
            }
            if (settings.paired()) {
                files.add(paired(settings, shown, dir.resolve("paired.csv")));
            }
        }
        if (!settings.reference().equals("-")) {
            files.add(compareWithReference(settings, shown, Path.of(settings.reference()), dir.resolve("reference-comparison.csv")));
        }
        if (settings.hasPlots()) {
            files.addAll(MethodComparison.write(settings, shown, dir));
        }
        if (!settings.samples().equals("-")) {
            montage(settings, results, store, dir).ifPresent(files::add);
        }
        if (!settings.predict().equals("-")) {
            files.addAll(StructurePrediction.write(settings, rows, dir));
        }
        return files;
    }

    /** Rows grouped by group value, then x (rounded to 4 decimals), to the y values. */
    private static Map<String, TreeMap<Double, List<Double>>> grouped(StudySettings s, List<Map<String, Object>> rows,
                                                                  String y) {
        Map<String, TreeMap<Double, List<Double>>> groups = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            double x = PointTable.number(row.get(s.x()));
            double v = PointTable.number(row.get(y));
            if (Double.isNaN(x) || Double.isNaN(v)) {
                continue;
            }
            String g = String.valueOf(row.getOrDefault(s.group(), "all"));
            groups.computeIfAbsent(g, k -> new TreeMap<>())
                    .computeIfAbsent(Math.round(x * 1e4) / 1e4, k -> new ArrayList<>()).add(v);
        }
        return groups;
    }

    /**
     * One figure per metric: mean over seeds with ±1 sd error bars (said in the legend, with the
     * number of seeds), one curve per group, the dense network (x = 0) as a dashed baseline, the
     * transition and its interval where fitted, axis titles with units, and a fraction-removed x axis
     * on a −log10(1 − x) scale. Written as PNG and PDF.
     */
    private static List<Path> plot(StudySettings s, List<Map<String, Object>> rows, String y,
                                   Optional<TransitionFit.Result> transition, Path dir) throws IOException {
        boolean removedScale = AxisLabels.isFractionRemoved(s.x());
        java.util.function.DoubleUnaryOperator toAxis = removedScale ? RemovedFractionAxis::toAxis : x -> x;
        XYChart chart = new XYChartBuilder().width(1150).height(560)
                .title(AxisLabels.of(y).replaceFirst(" \\(.*", "") + " against " + AxisLabels.of(s.x()).replaceFirst(" \\(.*", ""))
                .xAxisTitle(AxisLabels.of(s.x()) + (removedScale ? ", axis scaled as −log10(1 − x)" : ""))
                .yAxisTitle(AxisLabels.of(y)).build();
        var styler = chart.getStyler();
        // Beside the plot, never inside it: an inside legend hid the floor points of the RBM study's curves.
        styler.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        styler.setMarkerSize(6);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        styler.setErrorBarsColorSeriesColor(true);
        styler.setAxisTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 14));
        styler.setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15));
        if (removedScale) {
            styler.setxAxisTickLabelsFormattingFunction(RemovedFractionAxis::label);
            styler.setXAxisTickMarkSpacingHint(110); // fewer, wider-spaced ticks: their labels are long fractions
        }
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        List<Double> dense = new ArrayList<>();
        for (var group : grouped(s, rows, y).entrySet()) {
            int n = group.getValue().size();
            double[] xs = new double[n];
            double[] means = new double[n];
            double[] sds = new double[n];
            int seeds = 0;
            int fewestSeeds = Integer.MAX_VALUE;
            int i = 0;
            for (var e : group.getValue().entrySet()) {
                xs[i] = toAxis.applyAsDouble(e.getKey());
                means[i] = mean(e.getValue());
                sds[i] = sd(e.getValue());
                seeds = Math.max(seeds, e.getValue().size());
                fewestSeeds = Math.min(fewestSeeds, e.getValue().size());
                if (e.getKey() == 0.0) {
                    dense.addAll(e.getValue());
                }
                yMin = Math.min(yMin, means[i] - sds[i]);
                yMax = Math.max(yMax, means[i] + sds[i]);
                xMin = Math.min(xMin, xs[i]);
                xMax = Math.max(xMax, xs[i]);
                i++;
            }
            String counted = fewestSeeds == seeds ? Integer.toString(seeds) : fewestSeeds + "–" + seeds;
            String label = group.getKey() + (seeds > 1 ? " (mean ± sd over " + counted + " seeds"
                    + (s.convergenceReport() ? ", converged runs)" : ")") : " (1 seed)");
            chart.addSeries(label, xs, means, sds);
        }
        if (!dense.isEmpty() && xMax > xMin) {
            double level = mean(dense);
            XYSeries line = chart.addSeries(String.format(Locale.ROOT, "dense network, x = 0 (mean %.4g)", level),
                    new double[] {xMin, xMax}, new double[] {level, level});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.DARK_GRAY);
            line.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f));
        }
        // A fitted centre or interval end beyond the measured x range (e.g. a logistic centred past
        // x = 1 when the curve never levels off) is not drawn: on the −log10(1 − x) axis it is clipped
        // far to the right, and XChart's tick calculation then never ends.
        if (transition.isPresent() && Double.isFinite(yMin)
                && toAxis.applyAsDouble(transition.get().lower()) >= xMin
                && toAxis.applyAsDouble(transition.get().upper()) <= xMax
                && transition.get().upper() < 1.0) {
            TransitionFit.Result t = transition.get();
            vertical(chart, String.format(Locale.ROOT, "transition %.3f", t.critical()), toAxis.applyAsDouble(t.critical()),
                    yMin, yMax, Color.RED);
            vertical(chart, String.format(Locale.ROOT, "its 95%% bootstrap interval [%.3f, %.3f]", t.lower(), t.upper()),
                    toAxis.applyAsDouble(t.lower()), yMin, yMax, Color.PINK);
            vertical(chart, " ", toAxis.applyAsDouble(t.upper()), yMin, yMax, Color.PINK);
        }
        return FigureFiles.write(chart, dir, "plot-" + y.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    private static void vertical(XYChart chart, String name, double x, double y0, double y1, Color color) {
        XYSeries line = chart.addSeries(name, new double[] {x, x}, new double[] {y0, y1});
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(color);
        line.setShowInLegend(!name.isBlank());
    }

    /**
     * Differences between every pair of groups at equal x and equal seed: the seed fixes the
     * initialisation and the data order, so a paired difference removes that variation.
     */
    private static Path paired(StudySettings s, List<Map<String, Object>> rows, Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String y : s.y()) {
            Map<String, Map<Double, Map<String, Double>>> byGroup = new TreeMap<>();
            for (Map<String, Object> row : rows) {
                double x = Math.round(PointTable.number(row.get(s.x())) * 1e4) / 1e4;
                double v = PointTable.number(row.get(y));
                if (Double.isNaN(x) || Double.isNaN(v)) {
                    continue;
                }
                String seed = String.valueOf(row.getOrDefault("seed", "1"));
                byGroup.computeIfAbsent(String.valueOf(row.getOrDefault(s.group(), "all")), k -> new TreeMap<>())
                        .computeIfAbsent(x, k -> new TreeMap<>()).put(seed, v);
            }
            List<String> groups = new ArrayList<>(byGroup.keySet());
            for (int a = 0; a < groups.size(); a++) {
                for (int b = a + 1; b < groups.size(); b++) {
                    var ga = byGroup.get(groups.get(a));
                    var gb = byGroup.get(groups.get(b));
                    for (double x : new TreeSet<>(ga.keySet())) {
                        if (!gb.containsKey(x)) {
                            continue;
                        }
                        List<Double> diffs = new ArrayList<>();
                        for (var seed : ga.get(x).entrySet()) {
                            Double other = gb.get(x).get(seed.getKey());
                            if (other != null) {
                                diffs.add(seed.getValue() - other);
                            }
                        }
                        if (diffs.isEmpty()) {
                            continue;
                        }
                        double m = mean(diffs);
                        double half = diffs.size() > 1 ? tQuantile(diffs.size() - 1) * sd(diffs) / Math.sqrt(diffs.size())
                                : Double.NaN;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("metric", y);
                        row.put(s.x(), x);
                        row.put("group_a", groups.get(a));
                        row.put("group_b", groups.get(b));
                        row.put("pairs", diffs.size());
                        row.put("mean_difference", m);
                        row.put("ci95_low", m - half);
                        row.put("ci95_high", m + half);
                        out.add(row);
                    }
                }
            }
        }
        CsvTable.write(file, out);
        return file;
    }

    /**
     * Our mean and spread next to each published value, at the measured x nearest to the published
     * one (within 0.01), e.g. accuracy at 76.3 % and 82.2 % compression.
     */
    private static Path compareWithReference(StudySettings s, List<Map<String, Object>> rows, Path reference,
                                             Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (java.io.Reader reader = Files.newBufferedReader(reference);
             org.apache.commons.csv.CSVParser csv = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                     .setSkipHeaderRecord(true).build().parse(reader)) {
            for (org.apache.commons.csv.CSVRecord ref : csv) {
                String group = ref.get("group");
                String metric = ref.get("metric");
                double x = Double.parseDouble(ref.get("x"));
                TreeMap<Double, List<Double>> byX = grouped(s, rows, metric).getOrDefault(group, new TreeMap<>());
                Double nearest = null;
                for (double candidate : byX.keySet()) {
                    if (Math.abs(candidate - x) <= 0.01 && (nearest == null || Math.abs(candidate - x) < Math.abs(nearest - x))) {
                        nearest = candidate;
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("group", group);
                row.put("metric", metric);
                row.put("x_reference", x);
                row.put("reference", Double.parseDouble(ref.get("value")));
                row.put("x_measured", nearest == null ? "" : nearest);
                List<Double> ours = nearest == null ? List.of() : byX.get(nearest);
                row.put("ours_mean", ours.isEmpty() ? "" : mean(ours));
                row.put("ours_sd", ours.isEmpty() ? "" : sd(ours));
                row.put("runs", ours.size());
                row.put("difference", ours.isEmpty() ? "" : mean(ours) - Double.parseDouble(ref.get("value")));
                out.add(row);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("report.reference: file " + reference + " not found");
        }
        CsvTable.write(file, out);
        return file;
    }

    /** Rows of samples (first 10 per point) for the first seed of each group, ordered by x. */
    private static Optional<Path> montage(StudySettings s, List<FinishedPoint> results, StepStore store,
                                          Path dir) throws IOException {
        String spec = s.samples();
        int slash = spec.indexOf('/');
        if (slash <= 0 || spec.contains("..")) {
            throw new IllegalArgumentException("report.samples must be STEP/FILE.npy, got " + spec);
        }
        Map<String, TreeMap<Double, double[]>> rows = new TreeMap<>();
        int features = 0;
        for (FinishedPoint point : results) {
            StepManifest manifest = point.manifests().get(spec.substring(0, slash));
            Object x = point.axes().get(s.x());
            if (manifest == null || x == null) {
                continue;
            }
            String group = String.valueOf(point.axes().getOrDefault(s.group(), "all"));
            double xv = PointTable.number(x);
            if (rows.containsKey(group) && rows.get(group).containsKey(xv)) {
                continue; // the first seed only
            }
            Npy.Array samples = Npy.read(store.committedDir(manifest.kind(), manifest.identity().substring(0, 16))
                    .resolve(spec.substring(slash + 1)));
            features = samples.shape()[1];
            int count = Math.min(10, samples.shape()[0]);
            rows.computeIfAbsent(group, k -> new TreeMap<>()).put(xv,
                    java.util.Arrays.copyOf(samples.doubles(), count * features));
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        int side = (int) Math.round(Math.sqrt(features));
        List<double[]> all = new ArrayList<>();
        for (var group : rows.values()) {
            for (double[] r : group.values()) {
                double[] padded = java.util.Arrays.copyOf(r, 10 * features);
                all.add(padded);
            }
        }
        double[] images = new double[all.size() * 10 * features];
        for (int i = 0; i < all.size(); i++) {
            System.arraycopy(all.get(i), 0, images, i * 10 * features, 10 * features);
        }
        Path file = dir.resolve("samples-across-" + s.x().replaceAll("[^A-Za-z0-9_.-]", "_") + ".png");
        ImageGrid.writePng(images, all.size() * 10, side, side, 10, 2, file); // scale 2: row pitch (side + 1)·2
        StringBuilder legend = new StringBuilder("rows, top to bottom:\n");
        List<String> labels = new ArrayList<>();
        String axis = AxisLabels.of(s.x()).replaceFirst(" \\(.*", "");
        rows.forEach((g, m) -> m.keySet().forEach(x -> {
            legend.append(g).append(" ").append(s.x()).append('=').append(x).append('\n');
            labels.add(g + "   " + axis + " = " + RunLabels.number(x));
        }));
        MontageLabels.label(file, "Generated samples (first seed, 10 per model), by " + s.group() + " and " + axis,
                labels, (side + 1) * 2, side * 2);
        AtomicFiles.writeString(dir.resolve("samples-across-legend.txt"), legend.toString());
        return Optional.of(file);
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double sd(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return Math.sqrt(ss / (v.size() - 1));
    }

    /** Two-sided 95 % Student t quantile. */
    static double tQuantile(int df) {
        return new org.apache.commons.math3.distribution.TDistribution(df).inverseCumulativeProbability(0.975);
    }
}
