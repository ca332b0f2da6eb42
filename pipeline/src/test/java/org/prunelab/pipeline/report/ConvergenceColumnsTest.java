package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.store.StepManifest;

/** Non-converged runs are flagged, named and kept out of every average and claim. */
class ConvergenceColumnsTest {
    @TempDir
    Path dir;

    private static StepManifest manifest(String step, Map<String, Double> metrics) {
        return new StepManifest(StepManifest.FORMAT, step, "rbm.train", "0".repeat(64), 1, "d", new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(), "", "",
                1.0, 1, "", metrics, new TreeMap<>());
    }

    /** Point i: seed i, sparsity 0.9; the train step converged, the retrain step only when {@code retrainOk}. */
    private static FinishedPoint point(int index, boolean retrainOk, boolean retrained) {
        Map<String, StepManifest> m = new LinkedHashMap<>();
        m.put("train", manifest("train", Map.of("converged", 1.0, "convergence.range", 0.5)));
        m.put("retrain", manifest("retrain", retrained
                ? Map.of("converged", retrainOk ? 1.0 : 0.0, "convergence.range", retrainOk ? 0.5 : 9.0)
                : Map.of("pll", -170.0)));
        return new FinishedPoint(index, Map.of("seed", index), m);
    }

    private static Map<String, Object> row(int point, String variant, double pll) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("point", point);
        r.put("seed", point);
        r.put("variant", variant);
        r.put("sparsity", 0.9);
        r.put("test_pll", pll);
        return r;
    }

    @Test
    void theLastTrainingThatTrainedDecidesAndItsFailureIsExcluded() {
        List<FinishedPoint> points = List.of(point(1, true, true), point(2, false, true), point(3, false, false));
        List<Map<String, Object>> rows = List.of(row(1, "a", -160), row(2, "a", -150), row(3, "a", -165));
        ConvergenceColumns.Split split = ConvergenceColumns.apply(rows, points);
        assertEquals(3, split.all().size());
        assertEquals(List.of(1, 3), split.converged().stream().map(r -> r.get("point")).toList());
        assertEquals(2, split.excluded().get(0).get("point"));
        assertEquals("retrain", split.excluded().get(0).get("converged_step"));
        assertEquals(9.0, split.excluded().get(0).get("convergence.range"));
        // Point 3 never retrained: the first training's record counts.
        assertEquals("train", split.converged().get(1).get("converged_step"));
    }

    @Test
    void theReportCountsAndNamesExcludedRunsAndAveragesOnlyConvergedOnes() throws Exception {
        Path yaml = dir.resolve("s.yaml");
        Files.writeString(yaml, "experiment: t\npipeline: rbm\nreport: {x: sparsity, y: test_pll, group: variant,"
                + " convergence: true, claims: 'C: test_pll: a@0.9 - b@0.9 > 0'}\n");
        StudySettings settings = StudySettings.of(ExperimentConfig.load(yaml, List.of()));
        List<FinishedPoint> points = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int seed = 1; seed <= 4; seed++) {
            points.add(point(seed, seed != 4, true));
            rows.add(row(seed, "a", -160 + seed));
            points.add(point(10 + seed, true, true));
            Map<String, Object> b = row(10 + seed, "b", -170);
            b.put("seed", seed);
            rows.add(b);
        }
        RbmClaimsReport.Written w = RbmClaimsReport.write(settings, rows, points, dir);
        assertEquals(1.0, w.metrics().get("claims.nonconverged_points"));
        // Seeds 1-3 pair up: differences 11, 12, 13; seed 4's a-run did not converge.
        assertEquals(12.0, w.metrics().get("claims.C.mean_difference"), 1e-9);
        assertEquals(3.0, w.metrics().get("claims.C.pairs"));
        String means = Files.readString(dir.resolve("means-converged.csv"));
        assertEquals(true, means.contains("seed 4"), means);
        assertEquals(true, Files.readString(dir.resolve("claims.md")).contains("a@0.90 seed 4"));
    }
}
