package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.store.StepStore;

/** The study figures: PNG with a PDF beside it, same bytes for the same data, a usable x scale. */
class SweepReportFiguresTest {
    @TempDir
    Path dir;

    static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] xs = {0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99};
        for (String group : List.of("lth", "random")) {
            for (int seed = 1; seed <= 3; seed++) {
                for (double x : xs) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("variant", group);
                    row.put("seed", seed);
                    row.put("prune.sparsity", x);
                    double drop = group.equals("lth") ? 0.97 : 0.9;
                    row.put("test_pll", -160 - 50 / (1 + Math.exp(-(x - drop) * 120)) + seed * 0.7);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    static StudySettings settings() {
        return StudySettings.of(ExperimentConfig.of(Path.of("study.yaml"), "study.yaml", Map.of(
                "report.x", "prune.sparsity", "report.y", "test_pll", "report.group", "variant")));
    }

    @Test
    void everyPlotHasAPdfBesideItAndTheSameDataGiveTheSameBytes() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<Path> first = SweepReport.write(settings(), rows(), List.of(), new StepStore(dir.resolve("runs")),
                Optional.empty(), a);
        SweepReport.write(settings(), rows(), List.of(), new StepStore(dir.resolve("runs")), Optional.empty(), b);
        Path png = a.resolve("plot-test_pll.png");
        Path pdf = a.resolve("plot-test_pll.pdf");
        assertTrue(first.contains(png) && first.contains(pdf), first.toString());
        assertEquals(1150, ImageIO.read(png.toFile()).getWidth());
        assertEquals("%PDF", new String(Files.readAllBytes(pdf), 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(b.resolve("plot-test_pll.png")));
        assertArrayEquals(Files.readAllBytes(pdf), Files.readAllBytes(b.resolve("plot-test_pll.pdf")));
    }

    @Test
    void aPointWithEveryWeightRemovedIsPlottedWithoutHangingTheReport() {
        // A fixed-count schedule may end at compression 1.0 (its last step removes what is left). Its
        // −log10(1 − x) position, clipped at x = 0.99999, came out as 5.000000000001976, and XChart's tick
        // loop never finished on that axis end: the MLP study's report hung after its last point.
        List<Map<String, Object>> rows = rows();
        for (Map<String, Object> row : List.copyOf(rows)) {
            if (row.get("prune.sparsity").equals(0.99)) {
                Map<String, Object> all = new LinkedHashMap<>(row);
                all.put("prune.sparsity", 1.0);
                rows.add(all);
            }
        }
        List<Path> files = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> SweepReport.write(settings(), rows, List.of(), new StepStore(dir.resolve("runs")), Optional.empty(),
                        dir.resolve("all")));
        assertTrue(files.contains(dir.resolve("all").resolve("plot-test_pll.png")), files.toString());
    }

    @Test
    void fractionRemovedAxisSpreadsTheNinesEvenlyAndLabelsThemAsFractions() {
        assertEquals(0.0, RemovedFractionAxis.toAxis(0.0), 1e-12);
        assertEquals(1.0, RemovedFractionAxis.toAxis(0.9), 1e-12);
        assertEquals(2.0, RemovedFractionAxis.toAxis(0.99), 1e-12);
        assertEquals("0.9", RemovedFractionAxis.label(1.0));
        assertEquals("0.99", RemovedFractionAxis.label(2.0));
        assertEquals("0", RemovedFractionAxis.label(0.0));
        assertEquals(5.0, RemovedFractionAxis.toAxis(1.0), 0.0, "clipped to a round axis end");
        assertEquals("test pseudo-log-likelihood (nats per image)", AxisLabels.of("test_pll"));
        assertEquals("sparsity (fraction of connections removed) [prune.sparsity]", AxisLabels.of("prune.sparsity"));
    }

    /**
     * With the referee report on, a run that did not converge is kept in points.csv (flagged) but left
     * out of the paired differences and figures, as it is out of every number of claims.md.
     */
    @Test
    void aNonConvergedRunIsFlaggedInPointsButLeftOutOfPairedDifferences() throws Exception {
        List<Map<String, Object>> rows = rows();
        List<FinishedPoint> points = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            row.put("point", i);
            boolean bad = row.get("variant").equals("random") && row.get("seed").equals(3)
                    && row.get("prune.sparsity").equals(0.9);
            var train = new org.prunelab.pipeline.store.StepManifest(org.prunelab.pipeline.store.StepManifest.FORMAT,
                    "train", "rbm.train", "0".repeat(64), 1, "d", new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                    new java.util.TreeMap<>(), new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                    new java.util.TreeMap<>(), List.of(), "", "", 1.0, 1, "",
                    Map.of("converged", bad ? 0.0 : 1.0, "convergence.range", bad ? 9.0 : 0.5), new java.util.TreeMap<>());
            points.add(new FinishedPoint(i, Map.of("seed", row.get("seed")), Map.of("train", train)));
        }
        StudySettings s = StudySettings.of(ExperimentConfig.of(Path.of("study.yaml"), "study.yaml", Map.of(
                "report.x", "prune.sparsity", "report.y", "test_pll", "report.group", "variant",
                "report.convergence", true)));
        SweepReport.write(s, rows, points, new StepStore(dir.resolve("runs")), Optional.empty(), dir);

        List<String> csv = Files.readAllLines(dir.resolve("points.csv"));
        assertEquals(rows.size() + 1, csv.size(), "every run stays in points.csv");
        assertTrue(csv.get(0).contains("converged"), csv.get(0));
        List<String> paired = Files.readAllLines(dir.resolve("paired.csv"));
        String header = paired.get(0);
        int pairs = List.of(header.split(",")).indexOf("pairs");
        int x = List.of(header.split(",")).indexOf("prune.sparsity") >= 0
                ? List.of(header.split(",")).indexOf("prune.sparsity") : 1;
        for (String line : paired.subList(1, paired.size())) {
            String[] f = line.split(",");
            assertEquals(Double.parseDouble(f[x]) == 0.9 ? "2" : "3", f[pairs], line);
        }
    }
}
