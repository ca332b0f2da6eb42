package org.prunelab.architecture;

import org.junit.jupiter.api.Test;

/**
 * No package cycles inside the stages module. Kept in its own class because it fails until the
 * family-free core lands (today: kernel<->rbm, prune<->rbm, prune<->mlp, kernel<->prune, rbm<->eval),
 * so the other architecture rules can be run and kept green meanwhile.
 */
class StagesPackageCyclesTest {

    @Test
    void stagesHaveNoPackageCycles() {
        PackageCyclesTest.noCyclesIn("org.prunelab.stages");
    }
}
