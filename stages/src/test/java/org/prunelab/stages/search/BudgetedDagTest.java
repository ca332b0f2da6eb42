package org.prunelab.stages.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.graph.RandomGraphs;

class BudgetedDagTest {
    private static Graph<Integer, DefaultEdge> graph(int n, int[][] edges) {
        Graph<Integer, DefaultEdge> g = RandomGraphs.empty(n);
        for (int[] e : edges) {
            g.addEdge(e[0], e[1]);
        }
        return g;
    }

    @Test
    void withinTheBudgetTheLongestPathLayeringIsKeptWithSkipEdges() {
        // 0-1-2-3 path plus the chord 0-3: four layers, the chord skips two.
        BudgetedDag dag = BudgetedDag.of(graph(4, new int[][] {{0, 1}, {1, 2}, {2, 3}, {0, 3}}), 4);
        assertEquals(4, dag.layerCount());
        assertEquals(1, dag.skipEdges());
        assertEquals(0, dag.droppedEdges());
        assertTrue(dag.readsInput(0));
        assertFalse(dag.readsInput(3));
        assertTrue(dag.feedsOutput(3));
        assertFalse(dag.feedsOutput(0));
    }

    @Test
    void aTightBudgetMergesLayersEvenlyAndDropsEdgesInsideAMergedLayer() {
        // A path of 6 vertices has 6 layers; budget 3 maps layer l to floor(l * 3 / 6): {0,1}, {2,3}, {4,5}.
        BudgetedDag dag = BudgetedDag.of(graph(6, new int[][] {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}), 3);
        assertEquals(3, dag.layerCount());
        assertEquals(List.of(0, 1), dag.layer(0));
        assertEquals(List.of(4, 5), dag.layer(2));
        assertEquals(3, dag.droppedEdges(), "0-1, 2-3 and 4-5 fall inside a merged layer");
        assertEquals(2, dag.edges().size());
        // 1 lost its only predecessor: it reads the input; 0 lost its only successor: it feeds the output.
        assertTrue(dag.readsInput(1));
        assertTrue(dag.feedsOutput(0));
        assertTrue(dag.readsInput(3) && dag.feedsOutput(2), "2-3 dropped");
    }

    @Test
    void disconnectedDrawsAreJoinedIntoOneComponent() {
        Graph<Integer, DefaultEdge> g = graph(7, new int[][] {{0, 1}, {2, 3}, {5, 6}});
        assertEquals(3, GenomeGraphs.join(g), "components {0,1}, {2,3}, {4}, {5,6}: three joining edges");
        assertTrue(g.containsEdge(0, 2) && g.containsEdge(2, 4) && g.containsEdge(4, 5));
    }
}
