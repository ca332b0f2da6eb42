package org.prunelab.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.config.ConfigException;

class SweepExpansionTest {
    @TempDir
    Path dir;

    private ExperimentConfig load(String yaml) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, yaml);
        return ExperimentConfig.load(file, List.of());
    }

    @Test
    void gridOrderIsFixedWithTheLastKeyFastest() throws Exception {
        List<SweepExpansion.Point> points = SweepExpansion.expand(load("seed: [1, 2]\nprune: {sparsity: [0.5, 0.9]}\n"));
        assertEquals(4, points.size());
        assertEquals(Map.of("prune.sparsity", 0.5, "seed", 1L), points.get(0).axes());
        assertEquals(Map.of("prune.sparsity", 0.5, "seed", 2L), points.get(1).axes());
        assertEquals(Map.of("prune.sparsity", 0.9, "seed", 1L), points.get(2).axes());
        assertEquals(0.9, points.get(3).config().flat().get("prune.sparsity"));
        assertEquals(List.of(0, 1, 2, 3), points.stream().map(SweepExpansion.Point::index).toList());
    }

    @Test
    void anEmptyVariantRunsTheBaseConfigInsteadOfVanishing() throws Exception {
        // `dense: {}` once flattened to no key at all, so the baselines study silently lost its reference arm.
        ExperimentConfig config = load(String.join("\n",
                "seed: [1, 2]",
                "train: {epochs: 20}",
                "variants:",
                "  dense: {}",
                "  decayed: {train: {weight_decay: 0.001}}",
                ""));
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        assertEquals(List.of("decayed", "decayed", "dense", "dense"),
                points.stream().map(p -> p.axes().get("variant")).toList());
        Map<String, Object> dense = points.get(2).config().flat();
        assertEquals(20L, dense.get("train.epochs"));
        assertFalse(dense.containsKey("train.weight_decay"), "the empty variant adds nothing to the base");
        assertTrue(dense.keySet().stream().noneMatch(k -> k.startsWith("variants.")));
    }

    @Test
    void variantsApplyTheirOwnSettingsAndListsOnTopOfTheBase() throws Exception {
        ExperimentConfig config = load(String.join("\n",
                "seed: [1, 2]",
                "retrain: {epochs: 10}",
                "variants:",
                "  scratch: {prune: {method: random, sparsity: [0.8, 0.9]}, retrain: {epochs: 0}}",
                "  retrained: {reprune: {method: magnitude, sparsity: [0.9]}}",
                "report: {x: sparsity, y: test_pll}",
                "transition: {metric: test_pll, axis: prune.sparsity}",
                ""));
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        assertEquals(2 + 4, points.size(), "retrained: 1 x 2 seeds, scratch: 2 x 2 seeds");
        SweepExpansion.Point first = points.get(0);
        assertEquals("retrained", first.axes().get("variant"), "variants in name order");
        assertEquals(10L, first.config().flat().get("retrain.epochs"));
        assertEquals("magnitude", first.config().flat().get("reprune.method"));
        SweepExpansion.Point scratch = points.get(2);
        assertEquals("scratch", scratch.axes().get("variant"));
        assertEquals(0L, scratch.config().flat().get("retrain.epochs"), "a variant overrides the base");
        assertEquals(0.8, scratch.config().flat().get("prune.sparsity"));
        for (SweepExpansion.Point p : points) {
            assertTrue(p.config().flat().keySet().stream().noneMatch(k -> k.startsWith("variants.")
                    || k.startsWith("report.") || k.startsWith("transition.")), p.config().flat().toString());
            assertFalse(p.config().flat().values().stream().anyMatch(v -> v instanceof List));
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), points.stream().map(SweepExpansion.Point::index).toList());
    }

    @Test
    void sweepIdChangesWithTheGridButNotWithKeyOrder() throws Exception {
        String a = SweepExpansion.sweepId(load("seed: [1, 2]\nmodel: {hidden: 8}\n"));
        String b = SweepExpansion.sweepId(load("model: {hidden: 8}\nseed: [1, 2]\n"));
        String c = SweepExpansion.sweepId(load("seed: [1, 2, 3]\nmodel: {hidden: 8}\n"));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void malformedVariantsAndEmptyListsAreNamed() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> SweepExpansion.expand(load("variants: {a: 3}\n")));
        assertTrue(e.getMessage().contains("variants.a"), e.getMessage());
        ConfigException f = assertThrows(ConfigException.class, () -> SweepExpansion.expand(load("seed: []\n")));
        assertTrue(f.getMessage().contains("'seed'") && f.getMessage().contains("empty"), f.getMessage());
    }
}
