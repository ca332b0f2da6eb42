package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.stages.config.ConfigException;

/** A study's transition refinement, on the toy linear-regression family (a real sweep, in this JVM). */
class StudyRunnerTest {
    @TempDir
    Path work;

    private static ExperimentConfig withSeed(Object seed) {
        Map<String, Object> flat = new TreeMap<>();
        if (seed != null) {
            flat.put("seed", seed);
        }
        return ExperimentConfig.of(Path.of("study.yaml"), "study.yaml", flat);
    }

    @Test
    void refinementSeedsKeepTheGridsSeedsAndContinueAfterTheLargest() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
                StudyRunner.refinementSeeds(withSeed(List.of(1, 2, 3, 4, 5)), 10));
        assertEquals(List.of(3L, 7L, 8L, 9L), StudyRunner.refinementSeeds(withSeed(List.of(7, 3)), 4));
        assertEquals(List.of(2L, 3L, 4L), StudyRunner.refinementSeeds(withSeed(2), 3));
        // Never fewer seeds than the grid has: a refined point pairs with every grid seed.
        assertEquals(List.of(1L, 2L, 3L), StudyRunner.refinementSeeds(withSeed(List.of(1, 2, 3)), 2));
    }

    @Test
    void refinementSeedsNeedIntegerSeedsInTheConfig() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> StudyRunner.refinementSeeds(withSeed(null), 10));
        assertTrue(missing.getMessage().contains("study.yaml") && missing.getMessage().contains("transition.seeds")
                && missing.getMessage().contains("'seed'"), missing.getMessage());
        ConfigException fractional = assertThrows(ConfigException.class,
                () -> StudyRunner.refinementSeeds(withSeed(List.of(1, 2.5)), 10));
        assertTrue(fractional.getMessage().contains("'2.5' is not an integer"), fractional.getMessage());
    }

    /**
     * With transition.seeds, the refined points run at more seeds than the grid (the grid's seeds keep
     * their numbers), the fit still uses only seeds with a whole curve, and the sweep succeeds.
     */
    @Test
    void refinedPointsRunAtTheTransitionsSeeds() throws Exception {
        Path config = work.resolve("study.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: study-seeds",
                "pipeline: linreg",
                "seed: [1, 2]",
                "linreg: {samples: 240, features: 8, epochs: 3, batch_size: 20,"
                        + " learning_rate: [0.001, 0.003, 0.01, 0.03, 0.1]}",
                "runtime: {threads: 1}",
                "report: {step: evaluate}",
                "transition: {metric: test_mse, axis: linreg.learning_rate, tolerance: 0.000001, max_rounds: 1,"
                        + " points_per_round: 1, seeds: 4}",
                ""));
        Path runs = work.resolve("runs");
        var result = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(0, result.code(), result.output());
        String out = result.output();
        Matcher added = Pattern.compile("transition round 1: adding linreg.learning_rate = \\[([0-9.E-]+)\\]")
                .matcher(out);
        assertTrue(added.find(), out);
        double refined = Double.parseDouble(added.group(1));
        // The refinement round's points: the one new value, at seeds 1 to 4.
        Matcher point = Pattern.compile("\\[\\d+/(\\d+)\\] (?:linreg.learning_rate=(\\S+) seed=(\\d+))").matcher(out);
        TreeSet<Integer> refinedSeeds = new TreeSet<>();
        int gridPoints = 0;
        while (point.find()) {
            if (Double.parseDouble(point.group(2)) == refined) {
                refinedSeeds.add(Integer.parseInt(point.group(3)));
            } else {
                gridPoints++;
            }
        }
        assertEquals(new TreeSet<>(List.of(1, 2, 3, 4)), refinedSeeds, out);
        assertEquals(10, gridPoints, out);
        assertEquals(14, TinyConfigs.committedSteps(runs, "linreg.train", "train"));
        // Reports join rows to points by number: the refinement's points must not reuse the grid's.
        Path points = Files.list(runs.resolve("reports")).findFirst().orElseThrow().resolve("points.csv");
        List<String> numbers = Files.readAllLines(points).stream().skip(1).map(l -> l.split(",")[0]).toList();
        assertEquals(14, numbers.size(), numbers.toString());
        assertEquals(14, new TreeSet<>(numbers).size(), "point numbers repeat: " + numbers);
    }
}
