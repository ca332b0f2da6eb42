package org.prunelab.stages.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;

/** Layering and structural features on small graphs whose values are worked out by hand. */
class StructureTest {

    private static Graph<Integer, DefaultEdge> graph(int n, int[][] edges) {
        Graph<Integer, DefaultEdge> g = RandomGraphs.empty(n);
        for (int[] e : edges) {
            g.addEdge(e[0], e[1]);
        }
        return g;
    }

    @Test
    void layeringIsTheLongestPathFromTheSources() {
        // 0→2, 1→2, 2→3, 0→3 (a skip edge over layer 1), 3→4
        Graph<Integer, DefaultEdge> g = graph(5, new int[][] {{0, 2}, {1, 2}, {2, 3}, {0, 3}, {3, 4}});
        GraphLayering l = GraphLayering.of(g);
        assertEquals(4, l.layerCount());
        assertEquals(List.of(0, 1), l.layer(0));
        assertEquals(List.of(2), l.layer(1));
        assertEquals(List.of(3), l.layer(2));
        assertEquals(List.of(4), l.layer(3));
        assertEquals(2, l.sourceCount());
        assertEquals(1, l.sinkCount());
        assertArrayEquals(new byte[] {1, 1}, l.adjacency(g, 0, 1));   // 2 ← {0, 1}
        assertArrayEquals(new byte[] {1, 0}, l.adjacency(g, 0, 2));   // the skip edge 0 → 3
        assertEquals(false, l.connected(g, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> l.adjacency(g, 2, 1));
    }

    @Test
    void pathOfFourVertices() {
        Map<String, Double> f = StructuralFeatures.of(graph(4, new int[][] {{0, 1}, {1, 2}, {2, 3}}));
        assertEquals(StructuralFeatures.NAMES, List.copyOf(f.keySet()));
        expect(f, "layers", 4);
        expect(f, "nodes", 4);
        expect(f, "edges", 3);
        expect(f, "source_nodes", 1);
        expect(f, "sink_nodes", 1);
        expect(f, "diameter", 3);
        expect(f, "density", 3.0 / 12);
        expect(f, "avg_shortest_path", 20.0 / 12);
        expect(f, "eccentricity_mean", 2.5);
        expect(f, "eccentricity_var", 1.0 / 3);
        expect(f, "eccentricity_std", Math.sqrt(1.0 / 3));
        expect(f, "degree_centrality_mean", 0.5);
        expect(f, "degree_centrality_var", 4 * (1.0 / 36) / 3);
        expect(f, "closeness_centrality_mean", (0.5 + 0.75 + 0.75 + 0.5) / 4);
        expect(f, "node_betweenness_mean", (0 + 2.0 / 3 + 2.0 / 3 + 0) / 4);
        expect(f, "edge_betweenness_mean", (0.5 + 4.0 / 6 + 0.5) / 3);
        double ebMean = (0.5 + 4.0 / 6 + 0.5) / 3;
        expect(f, "edge_betweenness_var", (2 * Math.pow(0.5 - ebMean, 2) + Math.pow(4.0 / 6 - ebMean, 2)) / 2);
    }

    @Test
    void starOfFourVertices() {
        Map<String, Double> f = StructuralFeatures.of(graph(4, new int[][] {{0, 1}, {0, 2}, {0, 3}}));
        expect(f, "layers", 2);
        expect(f, "source_nodes", 1);
        expect(f, "sink_nodes", 3);
        expect(f, "diameter", 2);
        expect(f, "node_betweenness_mean", 1.0 / 4);        // the centre lies on all 3 leaf pairs: 1
        expect(f, "edge_betweenness_mean", 3.0 / 6);        // each spoke: its leaf to 3 others
        expect(f, "closeness_centrality_mean", (1.0 + 3 * 3.0 / 5) / 4);
    }

    @Test
    void disconnectedOrTinyGraphsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StructuralFeatures.of(graph(4, new int[][] {{0, 1}, {2, 3}})));
        assertThrows(IllegalArgumentException.class, () -> StructuralFeatures.of(graph(2, new int[][] {{0, 1}})));
    }

    private static void expect(Map<String, Double> f, String name, double value) {
        assertEquals(value, f.get(name), 1e-12, name);
    }
}
