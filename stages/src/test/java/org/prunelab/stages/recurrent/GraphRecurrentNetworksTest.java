package org.prunelab.stages.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.prunelab.stages.graph.RandomGraphs;

class GraphRecurrentNetworksTest {

    /** 0→2, 1→2, 1→3, 2→3, 0→3 (skip 0→2nd layer), 3→4, 1→4 (skip layer 0 → layer 3). */
    private static Graph<Integer, DefaultEdge> dag() {
        Graph<Integer, DefaultEdge> g = RandomGraphs.empty(5);
        int[][] edges = {{0, 2}, {1, 2}, {1, 3}, {2, 3}, {0, 3}, {3, 4}, {1, 4}};
        for (int[] e : edges) {
            g.addEdge(e[0], e[1]);
        }
        return g;
    }

    @Test
    void layersSkipsAndMasksFollowTheGraph() {
        RecurrentClassifier m = GraphRecurrentNetworks.build(dag(), CellType.RNN_TANH, 4, GateLayout.BLOCK, 2,
                Readout.LAST_STEP);
        // Layers: {0,1} | {2} | {3} | {4}
        assertEquals(4, m.layers().size());
        assertEquals(2, m.layers().get(0).hidden());
        assertEquals(1, m.layers().get(1).hidden());
        // Layer 0 reads the embedding densely.
        assertEquals(4 * 2, m.layers().get(0).inputWeights().kept());
        // Layer 1 (vertex 2) ← layer 0 (vertices 0, 1): both edges present.
        assertArrayEquals(new byte[] {1, 1}, m.layers().get(1).inputWeights().mask());
        // Skips: 0 → 2 (edges 0→3, 1→3) and 0 → 3 (edge 1→4); nothing from 1 to 3.
        assertEquals(2, m.skips().size());
        assertEquals(0, m.skips().get(0).from());
        assertEquals(2, m.skips().get(0).to());
        assertArrayEquals(new byte[] {1, 1}, m.skips().get(0).layer().inputWeights().mask());
        assertEquals(3, m.skips().get(1).to());
        assertArrayEquals(new byte[] {0, 1}, m.skips().get(1).layer().inputWeights().mask());
        // Recurrent matrices are dense.
        assertEquals(1, m.layers().get(2).recurrentWeights().kept());
    }

    @Test
    void gateLayoutsPlaceEdgeRowsWhereTheySay() {
        byte[] edge = {1, 0, /* unit 1: */ 0, 1};   // 2 units × 2 inputs
        assertArrayEquals(new byte[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1},
                GateLayout.BLOCK.expand(edge, 2, 2, 3));
        assertArrayEquals(new byte[] {1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1},
                GateLayout.INTERLEAVED.expand(edge, 2, 2, 3));
        assertArrayEquals(edge, GateLayout.INTERLEAVED.expand(edge, 2, 2, 1));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientsThroughSkipsMatchFiniteDifferences(CellType cell) {
        RecurrentClassifier m = GraphRecurrentNetworks.build(dag(), cell, 3, GateLayout.BLOCK, 2, Readout.LAST_SYMBOL);
        m.initialise(new SplittableRandom(5));
        String[] batch = {"BTXSE", "BPVVPXTTVVE"};
        int[] labels = {1, 0};
        m.zeroGradients();
        m.lossAndGradients(batch, labels);
        int checked = 0;
        for (Parameter p : m.parameters()) {
            double[] grad = p.grad().clone();
            for (int i = 0; i < p.size(); i++) {
                if (p.mask() != null && p.mask()[i] == 0) {
                    assertEquals(0.0, grad[i]);
                    continue;
                }
                double v = p.value()[i];
                p.value()[i] = v + 1e-6;
                double up = m.loss(batch, labels);
                p.value()[i] = v - 1e-6;
                double down = m.loss(batch, labels);
                p.value()[i] = v;
                double numeric = (up - down) / 2e-6;
                assertTrue(Math.abs(numeric - grad[i]) <= 1e-5 * Math.max(1e-4, Math.abs(numeric) + Math.abs(grad[i])),
                        cell + " " + p.name() + "[" + i + "] analytic " + grad[i] + " numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 50);
    }
}
