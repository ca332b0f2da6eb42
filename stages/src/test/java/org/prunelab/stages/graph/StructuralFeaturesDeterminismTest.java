package org.prunelab.stages.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;

/**
 * The same graph built twice (new edge objects, new identity hash codes) must give the same
 * features bit for bit: a sum taken in hash order of the edges differed in its last bits from JVM
 * to JVM, and the predictor's R² with it.
 */
class StructuralFeaturesDeterminismTest {

    @Test
    void featuresDoNotDependOnTheIdentityOfEdgeObjects() {
        for (long seed = 1; seed <= 5; seed++) {
            Graph<Integer, DefaultEdge> first = RandomGraphs.erdosRenyi(40, 0.2, new SplittableRandom(seed));
            Map<String, Double> reference = StructuralFeatures.of(first);
            for (int copy = 0; copy < 10; copy++) {
                Graph<Integer, DefaultEdge> again = RandomGraphs.erdosRenyi(40, 0.2, new SplittableRandom(seed));
                Map<String, Double> features = StructuralFeatures.of(again);
                for (String name : StructuralFeatures.NAMES) {
                    assertEquals(Double.doubleToRawLongBits(reference.get(name)),
                            Double.doubleToRawLongBits(features.get(name)),
                            name + " differs between two builds of the same graph (seed " + seed + ")");
                }
            }
        }
    }
}
