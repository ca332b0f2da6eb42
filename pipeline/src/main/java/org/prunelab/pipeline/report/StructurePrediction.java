package org.prunelab.pipeline.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.prunelab.io.CsvTable;
import org.prunelab.stages.predict.AdaBoostR2;
import org.prunelab.stages.predict.BayesianRidge;
import org.prunelab.stages.predict.PredictionEvaluation;
import org.prunelab.stages.predict.RandomForest;
import org.prunelab.stages.predict.Regressor;

/**
 * Performance prediction from structure (the structure-prior study): per value of
 * {@code report.predict_by} (the cell type), the Pearson correlation of every feature column with the
 * target, and the R² of three regressors (Bayesian ridge, random forest of 100 trees, AdaBoost.R2) on
 * min-max-scaled features — on the authors' 10 % hold-out and with repeated 10-fold cross-validation
 * (mean and 95 % interval over repetitions, since a 20-row hold-out is optimistic) — for four feature
 * subsets: all; only nodes/edges/source/sink; all but those; only the five variances. Also the target's
 * mean ± sd and range per {@code report.group} value, permutation importances of the forest, and a
 * scatter of cross-validated predictions against measurements.
 */
final class StructurePrediction {
    private static final List<String> SIZE_FEATURES = List.of("nodes", "edges", "source_nodes", "sink_nodes");
    private static final long SEED = 2021;

    private StructurePrediction() {
    }

    static List<Path> write(StudySettings s, List<Map<String, Object>> rows, Path dir) throws IOException {
        String target = s.predict(), by = s.predictBy(), prefix = s.featurePrefix();
        List<String> features = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            for (String k : row.keySet()) {
                if (k.startsWith(prefix) && !features.contains(k)) {
                    features.add(k);
                }
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("report.features: no column starts with '" + prefix + "'");
        }
        Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            groups.computeIfAbsent(String.valueOf(row.get(by)), k -> new ArrayList<>()).add(row);
        }
        List<Path> files = new ArrayList<>();
        files.add(summary(s, rows, target, dir.resolve("prediction-summary.csv")));
        List<Map<String, Object>> corr = new ArrayList<>(), r2 = new ArrayList<>(), imp = new ArrayList<>();
        XYChart scatter = new XYChartBuilder().width(800).height(600)
                .title("Cross-validated prediction of " + target + " (random forest)")
                .xAxisTitle("measured " + AxisLabels.of(target)).yAxisTitle("predicted " + AxisLabels.of(target)).build();
        scatter.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        for (Map.Entry<String, List<Map<String, Object>>> g : groups.entrySet()) {
            double[][] x = new double[g.getValue().size()][features.size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Map<String, Object> row = g.getValue().get(i);
                y[i] = PointTable.number(row.get(target));
                for (int j = 0; j < features.size(); j++) {
                    x[i][j] = PointTable.number(row.get(features.get(j)));
                }
            }
            for (int j = 0; j < features.size(); j++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put(by, g.getKey());
                c.put("feature", features.get(j).substring(prefix.length()));
                c.put("pearson", PredictionEvaluation.pearson(PredictionEvaluation.column(x, j), y));
                c.put("rows", x.length);
                corr.add(c);
            }
            if (x.length < 20) {
                continue;   // 10-fold CV and a 10 % hold-out need at least 20 rows
            }
            for (Map.Entry<String, List<Integer>> subset : subsets(features, prefix).entrySet()) {
                double[][] xs = PredictionEvaluation.columns(x, subset.getValue());
                for (Regressor r : regressors()) {
                    PredictionEvaluation.CrossValidated cv = PredictionEvaluation.crossValidate(r, xs, y, 10,
                            s.cvRepetitions(), SEED);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put(by, g.getKey());
                    row.put("features", subset.getKey());
                    row.put("regressor", r.name());
                    row.put("holdout_r2", PredictionEvaluation.holdOut(r, xs, y, 0.1, SEED));
                    row.put("cv_r2_mean", cv.mean());
                    row.put("cv_r2_ci95_low", cv.low());
                    row.put("cv_r2_ci95_high", cv.high());
                    row.put("rows", x.length);
                    r2.add(row);
                }
            }
            double[] importance = PredictionEvaluation.permutationImportance(new RandomForest(100, SEED), x, y, 5, SEED);
            for (int j = 0; j < features.size(); j++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(by, g.getKey());
                row.put("feature", features.get(j).substring(prefix.length()));
                row.put("forest_permutation_importance", importance[j]);
                imp.add(row);
            }
            double[] predicted = PredictionEvaluation.outOfFoldPredictions(new RandomForest(100, SEED), x, y, 10, SEED, 0);
            scatter.addSeries(by + " = " + g.getKey(), y, predicted);
        }
        files.add(csv(corr, dir.resolve("prediction-correlations.csv")));
        files.add(csv(r2, dir.resolve("prediction-r2.csv")));
        files.add(csv(imp, dir.resolve("prediction-importance.csv")));
        if (!scatter.getSeriesMap().isEmpty()) {
            // The diagonal is what a perfect prediction would give: distance from it is the error.
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (var series : scatter.getSeriesMap().values()) {
                lo = Math.min(lo, Math.min(series.getXMin(), series.getYMin()));
                hi = Math.max(hi, Math.max(series.getXMax(), series.getYMax()));
            }
            XYSeries diagonal = scatter.addSeries("predicted = measured", new double[] {lo, hi}, new double[] {lo, hi});
            diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            diagonal.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            diagonal.setLineColor(java.awt.Color.DARK_GRAY);
            diagonal.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            files.addAll(FigureFiles.write(scatter, dir, "prediction-scatter"));
        }
        return files;
    }

    private static List<Regressor> regressors() {
        return List.of(new BayesianRidge(), new RandomForest(100, SEED), new AdaBoostR2(50, 3, SEED));
    }

    /** The authors' feature-subset ablation. */
    private static Map<String, List<Integer>> subsets(List<String> features, String prefix) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        List<Integer> all = new ArrayList<>(), size = new ArrayList<>(), rest = new ArrayList<>(), vars = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            String name = features.get(j).substring(prefix.length());
            all.add(j);
            (SIZE_FEATURES.contains(name) ? size : rest).add(j);
            if (name.endsWith("_var")) {
                vars.add(j);
            }
        }
        out.put("all", all);
        if (!size.isEmpty()) {
            out.put("size_only", size);
        }
        if (!rest.isEmpty()) {
            out.put("all_but_size", rest);
        }
        if (!vars.isEmpty()) {
            out.put("variances_only", vars);
        }
        return out;
    }

    private static Path summary(StudySettings s, List<Map<String, Object>> rows, String target, Path file)
            throws IOException {
        Map<String, List<Double>> byGroup = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            byGroup.computeIfAbsent(String.valueOf(row.get(s.group())), k -> new ArrayList<>())
                    .add(PointTable.number(row.get(target)));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : byGroup.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(s.group(), e.getKey());
            row.put("n", e.getValue().size());
            row.put(target + "_mean", SweepReport.mean(e.getValue()));
            row.put(target + "_sd", SweepReport.sd(e.getValue()));
            row.put(target + "_min", e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
            row.put(target + "_max", e.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
            out.add(row);
        }
        return csv(out, file);
    }

    private static Path csv(List<Map<String, Object>> rows, Path file) throws IOException {
        List<Map<String, Object>> formatted = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            row.forEach((k, v) -> f.put(k, v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : v));
            formatted.add(f);
        }
        CsvTable.write(file, formatted);
        return file;
    }
}
