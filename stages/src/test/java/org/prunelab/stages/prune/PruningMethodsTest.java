package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.MaskedGroup;

class PruningMethodsTest {
    private static MaskedGroup group(String name, double... w) {
        return new MaskedGroup(name, 1, w.length, w, Masks.dense(w.length));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PruningMethods.get("magnitud"));
        assertTrue(e.getMessage().contains("'magnitud'") && e.getMessage().contains("magnitude"), e.getMessage());
        assertEquals(List.of("none", "random", "magnitude", "magnitude-per-unit", "class-blinded", "class-uniform",
                "class-distribution", "random-saliency", "obd", "obd-fisher", "l-obs"), PruningMethods.names());
    }

    @Test
    void oneGroupGetsExactlyTheMasksOfTheSingleArrayRules() {
        double[] w = {0.5, -0.1, 0.3, -0.9, 0.2, 0.05};
        MaskedGroup g = group("w", w);
        assertArrayEquals(Masks.magnitude(w, Masks.dense(6), 0.5),
                PruningMethods.get("magnitude").prune(List.of(g), PruningRequest.toSparsity(0.5, null))[0]);
        assertArrayEquals(Masks.random(6, 0.5, new SplittableRandom(3)),
                PruningMethods.get("random").prune(List.of(g), PruningRequest.toSparsity(0.5, new SplittableRandom(3)))[0]);
    }

    @Test
    void magnitudeRanksAcrossTakingPartGroupsAndLeavesTheOthers() {
        List<MaskedGroup> groups = List.of(group("a", 0.1, 0.9), group("b", 0.2, 0.8), group("c", 0.01, 0.02));
        byte[][] masks = PruningMethods.get("magnitude").prune(groups,
                new PruningRequest(new PruningRequest.Sparsity(0.5), new boolean[] {true, true, false}, null));
        assertArrayEquals(new byte[] {0, 1}, masks[0]);
        assertArrayEquals(new byte[] {0, 1}, masks[1]);
        assertArrayEquals(new byte[] {1, 1}, masks[2], "a group that does not take part keeps its mask");
        assertThrows(IllegalArgumentException.class, () -> PruningMethods.get("magnitude").prune(groups,
                new PruningRequest(new PruningRequest.Rate(0.5), null, null)));
    }
}
