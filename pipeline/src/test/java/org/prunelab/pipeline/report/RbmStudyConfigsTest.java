package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;

/** The shipped RBM study configs' referee settings parse, so a long study cannot fail at its report. */
class RbmStudyConfigsTest {
    @ParameterizedTest
    @ValueSource(strings = {"rbm-dilution-quick", "rbm-retrain-quick", "rbm-small-quick", "rbm-dilution-medium", "rbm-dilution-medium-fashion", "rbm-dilution-medium-h200", "rbm-retrain"})
    void claimsAndCurvesParse(String name) {
        Path file = Path.of("..", "configs", name + ".yaml");
        assertTrue(Files.exists(file), file.toAbsolutePath().toString());
        StudySettings s = StudySettings.of(ExperimentConfig.load(file, List.of()));
        assertTrue(s.convergenceReport());
        List<SeedPairedContrast> claims = SeedPairedContrast.parseAll("report.claims", s.claims());
        assertFalse(claims.isEmpty());
        for (SeedPairedContrast c : claims) {
            assertTrue(s.y().contains(c.metric()) || c.metric().startsWith("test_"), c.label() + ": " + c.metric());
        }
        s.curveModels();
    }

    private static int epochs(Map<String, Object> flat, String section) {
        Object v = flat.get(section + ".epochs");
        return v == null ? 10 : ((Number) v).intValue();
    }

    /**
     * P2's matched controls (protocol §5): at every s1 and seed, the "total" arms train exactly
     * E_train + E_retrain epochs on their final mask, the "retrain" arms exactly E_retrain, and the
     * mask arms use the magnitude mask of the trained network (rewound to W0) while the random arms
     * draw a random mask.
     */
    @Test
    void p2ControlsHaveMatchedBudgetsAndMasks() {
        ExperimentConfig config = ExperimentConfig.load(Path.of("..", "configs", "rbm-retrain-quick.yaml"), List.of());
        Map<String, Map<String, Object>> arms = new TreeMap<>();
        for (SweepExpansion.Point p : SweepExpansion.expand(config)) {
            arms.putIfAbsent(String.valueOf(p.axes().get("variant")), p.config().flat());
        }
        Map<String, Object> retrained = arms.get("retrained");
        int eTrain = epochs(retrained, "train");
        int eRetrain = epochs(retrained, "retrain");
        assertTrue(eTrain > 0 && eRetrain > 0);
        Map<String, Object> maskTotal = arms.get("mask-scratch-total");
        Map<String, Object> maskRetrain = arms.get("mask-scratch-retrain");
        Map<String, Object> randomTotal = arms.get("random-scratch-total");
        Map<String, Object> randomRetrain = arms.get("random-scratch-retrain");
        // Same magnitude mask as retrained, from W0, trained after the mask is fixed for the budget.
        for (Map<String, Object> arm : List.of(maskTotal, maskRetrain)) {
            assertEquals("magnitude", arm.get("reprune.method"));
            assertEquals(true, arm.get("reprune.rewind"));
        }
        assertEquals(eTrain + eRetrain, epochs(maskTotal, "retrain"));
        assertEquals(eRetrain, epochs(maskRetrain, "retrain"));
        // A random mask at s1 from the start: all training happens in the train step.
        for (Map<String, Object> arm : List.of(randomTotal, randomRetrain)) {
            assertEquals("random", arm.get("prune.method"));
            assertEquals(0, epochs(arm, "retrain"));
        }
        assertEquals(eTrain + eRetrain, epochs(randomTotal, "train"));
        assertEquals(eRetrain, epochs(randomRetrain, "train"));
        // The retrained arm itself: E_train on the s0 network, then E_retrain after pruning, chains kept.
        assertEquals("magnitude", retrained.get("reprune.method"));
        assertEquals("keep", retrained.get("retrain.chain_init"));
        // Every arm is evaluated at the same s1 values.
        for (String arm : List.of("pruned-only", "retrained", "mask-scratch-total", "mask-scratch-retrain")) {
            assertTrue(arms.get(arm).containsKey("reprune.sparsity"), arm);
        }
    }
}
