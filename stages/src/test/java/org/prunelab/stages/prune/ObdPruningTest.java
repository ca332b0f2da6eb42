package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.MaskedGroup;

/** OBD on hand-made groups and curvatures: saliency ½·h·w², and a ranking that differs from |w|. */
class ObdPruningTest {
    private static List<MaskedGroup> groups() {
        return List.of(
                new MaskedGroup("layer0", 2, 2, new double[] {1.0, -2.0, 0.5, 3.0}, new byte[] {1, 1, 1, 1}),
                new MaskedGroup("layer1", 1, 2, new double[] {4.0, 0.0}, new byte[] {1, 0}));
    }

    private static final double[][] H = {{2.0, 0.1, 8.0, 0.01}, {0.5, 7.0}};
    private static final double[][] F = {{1.0, 1.0, 1.0, 1.0}, {1.0, 1.0}};

    @Test
    void saliencyIsHalfTheHessianDiagonalTimesTheSquaredWeight() {
        double[][] s = new ObdPruning("obd", false).saliency(groups(), new FixedCurvature(H, F, null),
                new boolean[] {true, true});
        // By hand: ½·2·1 = 1, ½·0.1·4 = 0.2, ½·8·0.25 = 1, ½·0.01·9 = 0.045; ½·0.5·16 = 4, pruned 0.
        assertArrayEquals(new double[] {1.0, 0.2, 1.0, 0.045}, s[0], 1e-15);
        assertArrayEquals(new double[] {4.0, 0.0}, s[1], 1e-15);
        double[][] fisher = new ObdPruning("obd-fisher", true).saliency(groups(), new FixedCurvature(H, F, null),
                new boolean[] {true, true});
        assertArrayEquals(new double[] {0.5, 2.0, 0.125, 4.5}, fisher[0], 1e-15); // h = 1: ½w²
    }

    @Test
    void removesTheLowestSaliencyNotTheLowestMagnitude() {
        // Exactly 2 of the 4 remaining weights: saliencies 1, 0.2, 1, 0.045, 4 → remove w=3.0 and w=−2.0,
        // although |0.5| is the smallest magnitude.
        PrunedLayers p = new ObdPruning("obd", false).prune(groups(),
                new PruningRequest(new PruningRequest.Count(2), null, null), new FixedCurvature(H, F, null));
        assertArrayEquals(new byte[] {1, 0, 1, 0}, p.masks()[0]);
        assertArrayEquals(new byte[] {1, 0}, p.masks()[1]);
        assertNull(p.weights(), "OBD leaves the surviving weights alone");
        // The percentile rule at rate 0.4 (threshold between 0.2 and 1 of the 5 unpruned) removes the same two.
        PrunedLayers q = new ObdPruning("obd", false).prune(groups(),
                new PruningRequest(new PruningRequest.Rate(0.4), null, null), new FixedCurvature(H, F, null));
        assertArrayEquals(new byte[] {1, 0, 1, 0}, q.masks()[0]);
    }

    @Test
    void withoutCurvatureItSaysWhatItNeeds() {
        Exception e = assertThrows(UnsupportedOperationException.class,
                () -> PruningMethods.get("obd").prune(groups(), new PruningRequest(new PruningRequest.Rate(0.5), null, null)));
        assertTrue(e.getMessage().contains("'obd'") && e.getMessage().contains("Curvature"), e.getMessage());
    }
}
