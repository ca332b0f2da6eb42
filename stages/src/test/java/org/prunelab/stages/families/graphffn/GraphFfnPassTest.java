package org.prunelab.stages.families.graphffn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.Genome;
import org.prunelab.stages.search.GenomeGraphs;
import org.prunelab.stages.search.GraphGenerator;

class GraphFfnPassTest {
    private static GraphFfn network(String kernel, long seed) {
        Genome g = new Genome(GraphGenerator.WATTS_STROGATZ, 9, 3, 0.3, 4, 0.4, 2);
        BudgetedDag dag = BudgetedDag.of(GenomeGraphs.draw(g, seed).graph(), g.depth());
        GraphFfn net = GraphFfn.wire(dag, 2, 6, 3);
        net.initialise(new SplittableRandom(seed));
        return net;
    }

    private static List<double[]> zerosLike(List<double[]> arrays) {
        List<double[]> z = new ArrayList<>();
        arrays.forEach(a -> z.add(new double[a.length]));
        return z;
    }

    private static List<double[]> blockWeights(GraphFfn net) {
        List<double[]> w = new ArrayList<>();
        net.blocks().forEach(b -> w.add(b.w()));
        return w;
    }

    private static List<double[]> biases(GraphFfn net) {
        List<double[]> b = new ArrayList<>();
        for (int t = 0; t <= net.layers(); t++) {
            b.add(net.bias(t));
        }
        return b;
    }

    @Test
    void gradientMatchesFiniteDifferencesOnEveryKeptWeightAndBiasAndIsZeroWherePruned() {
        for (String kernel : List.of("dense", "sparse")) {
            GraphFfn net = network(kernel, 4);
            assertTrue(net.layers() >= 2, "the fixture has hidden layers to back-propagate through");
            assertTrue(net.blocks().stream().anyMatch(b -> b.source() >= 0 && b.target() - b.source() > 1)
                    || net.layers() < 3, "skip blocks are exercised when there are three layers");
            GraphFfnPass pass = new GraphFfnPass(net, kernel);
            SplittableRandom rng = new SplittableRandom(9);
            int n = 5;
            double[] x = new double[n * 6];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            int[] y = {0, 2, 1, 1, 0};
            List<double[]> gw = zerosLike(blockWeights(net)), gb = zerosLike(biases(net));
            pass.lossAndGradient(x, y, n, gw, gb);
            double h = 1e-6;
            int checked = 0;
            List<GraphFfn.Block> blocks = net.blocks();
            for (int k = 0; k < blocks.size(); k++) {
                GraphFfn.Block b = blocks.get(k);
                for (int j = 0; j < b.w().length; j++) {
                    if (b.mask()[j] == 0) {
                        assertEquals(0.0, gw.get(k)[j], "pruned weights get no gradient");
                        continue;
                    }
                    double numeric = numeric(pass, b.w(), j, h, x, y, n);
                    assertEquals(numeric, gw.get(k)[j], 1e-6 + 1e-5 * Math.abs(numeric), kernel + " " + b.name() + "[" + j + "]");
                    checked++;
                }
            }
            for (int t = 0; t <= net.layers(); t++) {
                for (int j = 0; j < net.bias(t).length; j++) {
                    double numeric = numeric(pass, net.bias(t), j, h, x, y, n);
                    assertEquals(numeric, gb.get(t)[j], 1e-6 + 1e-5 * Math.abs(numeric), kernel + " bias " + t + "[" + j + "]");
                }
            }
            assertTrue(checked > 50, "checked " + checked + " weights");
        }
    }

    private static double numeric(GraphFfnPass pass, double[] p, int j, double h, double[] x, int[] y, int n) {
        GraphFfn net = pass.model();
        List<double[]> gw = zerosLike(blockWeights(net)), gb = zerosLike(biases(net));
        double keep = p[j];
        p[j] = keep + h;
        double up = pass.lossAndGradient(x, y, n, gw, gb);
        p[j] = keep - h;
        double down = pass.lossAndGradient(x, y, n, gw, gb);
        p[j] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void wiringFollowsTheDag() {
        Genome g = new Genome(GraphGenerator.BARABASI_ALBERT, 12, 3, 0.3, 4, 0.4, 2);
        BudgetedDag dag = BudgetedDag.of(GenomeGraphs.draw(g, 1).graph(), g.depth());
        GraphFfn net = GraphFfn.wire(dag, 3, 10, 4);
        long expected = 0;
        for (int v = 0; v < dag.vertices(); v++) {
            expected += dag.readsInput(v) ? 3L * 10 : 0;
            expected += dag.feedsOutput(v) ? 3L * 4 : 0;
        }
        expected += 9L * dag.edges().size();
        assertEquals(expected, net.keptWeights(), "input rows, output columns and a full 3x3 block per edge");
        assertEquals(3 * 12, net.hiddenUnits());
    }
}
