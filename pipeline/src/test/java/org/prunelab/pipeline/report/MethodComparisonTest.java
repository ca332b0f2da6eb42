package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.config.ExperimentConfig;

/** comparison.md/csv: paired intervals against the best group and dense, and an honest ordering. */
class MethodComparisonTest {
    @TempDir
    Path dir;

    /**
     * Three seeds; seed s shifts every group by s/100 (so unpaired intervals are wide). At x = 0.763:
     * a = dense + 0.010 + tiny noise, b = dense + 0.002 ± 0.001 alternating, c = b + {+0.001, −0.002, +0.0005}.
     */
    private static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] noiseB = {0.001, -0.001, 0.0015};
        double[] cMinusB = {0.001, -0.002, 0.0005};
        for (int seed = 1; seed <= 3; seed++) {
            double dense = 0.90 + seed / 100.0;
            for (String g : List.of("a", "b", "c")) {
                rows.add(row(g, seed, 0.0, dense));
                double b = dense + 0.002 + noiseB[seed - 1];
                double v = switch (g) {
                    case "a" -> dense + 0.010 + seed * 1e-4;
                    case "b" -> b;
                    default -> b + cMinusB[seed - 1];
                };
                rows.add(row(g, seed, 0.7627, v));
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String g, int seed, double x, double v) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", g);
        r.put("seed", seed);
        r.put("compression", x);
        r.put("acc", v);
        return r;
    }

    @Test
    void pairedIntervalsAgainstBestAndDenseAndAnOrderingOnlyWhereTheyExcludeZero() throws Exception {
        Path ref = dir.resolve("ref.csv");
        Files.writeString(ref, "group,x,metric,value,source\na,0.763,acc,0.9756,test\n");
        StudySettings s = StudySettings.of(ExperimentConfig.of(Path.of("study.yaml"), "study.yaml", Map.of(
                "report.x", "compression", "report.y", "acc", "report.group", "variant",
                "report.compare_at", "0.763, 0.5", "report.reference", ref.toString())));
        List<Path> files = MethodComparison.write(s, rows(), dir);
        String md = Files.readString(dir.resolve("comparison.md"));
        assertTrue(md.contains("Ordering: a > b ≈ c") || md.contains("Ordering: a > c ≈ b"), md);
        assertTrue(md.contains("97.56"), "the authors' value is next to ours: " + md);
        assertTrue(!md.contains("= 0.500"), "no section for an x nobody reached");
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertEquals(4, csv.size(), String.join("\n", csv));
        String header = csv.get(0);
        List<String> cols = List.of(header.split(","));
        String[] a = csv.get(1).split(",");
        assertEquals("a", a[cols.indexOf("group")]);
        // a − dense per seed: 0.0101, 0.0102, 0.0103 → mean 0.0102 with a narrow interval above 0.
        assertEquals(0.0102, Double.parseDouble(a[cols.indexOf("minus_dense")]), 1e-12);
        assertTrue(Double.parseDouble(a[cols.indexOf("minus_dense_ci95_low")]) > 0.0099);
        assertEquals(3, Integer.parseInt(a[cols.indexOf("runs")]));
        assertEquals(2, files.size());
    }

    @Test
    void estimatesNeedTwoPairsForAnInterval() {
        assertEquals(0, MethodComparison.Estimate.of(List.of(0.5)).sign());
        assertEquals(1, MethodComparison.Estimate.of(List.of(0.5, 0.51, 0.49)).sign());
        assertEquals(0, MethodComparison.Estimate.of(List.of(0.5, -0.4, 0.1)).sign());
        assertEquals(-1, MethodComparison.Estimate.of(List.of(-0.5, -0.51, -0.49)).sign());
    }
}
