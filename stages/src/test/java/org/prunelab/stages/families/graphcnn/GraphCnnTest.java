package org.prunelab.stages.families.graphcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.Genome;
import org.prunelab.stages.search.GenomeGraphs;
import org.prunelab.stages.search.GraphGenerator;

class GraphCnnTest {
    @Test
    void gradientOfEveryParameterMatchesFiniteDifferences() {
        Genome g = new Genome(GraphGenerator.BARABASI_ALBERT, 5, 3, 0.3, 2, 0.5, 2);
        BudgetedDag dag = BudgetedDag.of(GenomeGraphs.draw(g, 3).graph(), g.depth());
        assertTrue(dag.edges().size() >= 3, "cells with summed inputs are exercised");
        GraphCnn net = new GraphCnn(dag, 3, 6, 2, 3, 4, 2, Gemm.create(1));
        SplittableRandom rng = new SplittableRandom(5);
        net.initialise(rng);
        // Non-trivial batch-norm affine parameters, so their gradients are tested at a general point.
        for (double[] p : net.parameters()) {
            if (p.length == 2) {
                for (int j = 0; j < p.length; j++) {
                    p[j] += 0.3 * rng.nextGaussian();
                }
            }
        }
        int n = 4;
        double[] x = new double[n * net.inputFeatures()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        int[] y = {0, 3, 1, 2};
        List<double[]> grads = new ArrayList<>();
        net.parameters().forEach(p -> grads.add(new double[p.length]));
        net.lossAndGradient(x, y, n, grads);
        List<double[]> scratch = new ArrayList<>();
        net.parameters().forEach(p -> scratch.add(new double[p.length]));
        double eps = 1e-5;
        int checked = 0;
        List<double[]> params = net.parameters();
        List<String> names = net.parameterNames();
        for (int k = 0; k < params.size(); k++) {
            double[] p = params.get(k);
            for (int j = 0; j < p.length; j += Math.max(1, p.length / 7)) {
                double keep = p[j];
                p[j] = keep + eps;
                double up = net.lossAndGradient(x, y, n, scratch);
                p[j] = keep - eps;
                double down = net.lossAndGradient(x, y, n, scratch);
                p[j] = keep;
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, grads.get(k)[j], 1e-6 + 1e-4 * Math.abs(numeric), names.get(k) + "[" + j + "]");
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }
}
