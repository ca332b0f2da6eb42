package org.prunelab.stages.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;

class RandomGraphsTest {

    @Test
    void barabasiAlbertFromIsolatedSeedsHasNMinusMTimesMEdgesAndIsConnected() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n = 10; n <= 50; n += 7) {
            int m = n / 10;
            Graph<Integer, DefaultEdge> g = RandomGraphs.barabasiAlbert(n, m, RandomGraphs.BarabasiAlbertStart.ISOLATED, rng);
            assertEquals(n, g.vertexSet().size());
            assertEquals((n - m) * m, g.edgeSet().size(), "n=" + n + " m=" + m);
            assertTrue(new ConnectivityInspector<>(g).isConnected());
            for (int v = m; v < n; v++) {
                assertTrue(g.degreeOf(v) >= m, "every grown vertex has its m edges");
            }
        }
    }

    @Test
    void barabasiAlbertStarStartAddsTheStarsEdges() {
        Graph<Integer, DefaultEdge> g = RandomGraphs.barabasiAlbert(30, 3, RandomGraphs.BarabasiAlbertStart.STAR,
                new SplittableRandom(2));
        assertEquals(3 + (30 - 4) * 3, g.edgeSet().size());
    }

    @Test
    void preferentialAttachmentFavoursEarlyVertices() {
        // Over many graphs the first vertex ends with a higher degree than a late one.
        SplittableRandom rng = new SplittableRandom(3);
        double first = 0, late = 0;
        for (int i = 0; i < 200; i++) {
            Graph<Integer, DefaultEdge> g = RandomGraphs.barabasiAlbert(50, 2, RandomGraphs.BarabasiAlbertStart.ISOLATED, rng);
            first += g.degreeOf(0);
            late += g.degreeOf(45);
        }
        assertTrue(first > 2 * late, "first " + first + " late " + late);
    }

    @Test
    void wattsStrogatzHasNTimesHalfKEdgesAndIsConnected() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int n = 15; n <= 50; n += 5) {
            int k = n / 5;
            Graph<Integer, DefaultEdge> g = RandomGraphs.connectedWattsStrogatz(n, k, 1.0, 10, rng);
            assertEquals(n * (k / 2), g.edgeSet().size(), "n=" + n + " k=" + k);
            assertTrue(new ConnectivityInspector<>(g).isConnected());
        }
    }

    @Test
    void wattsStrogatzWithoutRewiringIsTheRingLattice() {
        Graph<Integer, DefaultEdge> g = RandomGraphs.connectedWattsStrogatz(10, 4, 0.0, 1, new SplittableRandom(5));
        for (int v = 0; v < 10; v++) {
            assertTrue(g.containsEdge(v, (v + 1) % 10) && g.containsEdge(v, (v + 2) % 10), "vertex " + v);
            assertEquals(4, g.degreeOf(v));
        }
    }

    @Test
    void impossibleConnectivityIsAClearError() {
        RandomGraphs.GenerationException e = assertThrows(RandomGraphs.GenerationException.class,
                () -> RandomGraphs.connectedWattsStrogatz(400, 2, 1.0, 3, new SplittableRandom(6)));
        assertTrue(e.getMessage().contains("no connected Watts–Strogatz graph with n=400, k=2"), e.getMessage());
    }

    @Test
    void erdosRenyiExtremes() {
        assertEquals(0, RandomGraphs.erdosRenyi(12, 0.0, new SplittableRandom(7)).edgeSet().size());
        assertEquals(12 * 11 / 2, RandomGraphs.erdosRenyi(12, 1.0, new SplittableRandom(7)).edgeSet().size());
    }

    @Test
    void sameSeedSameGraph() {
        Graph<Integer, DefaultEdge> a = RandomGraphs.connectedWattsStrogatz(30, 6, 1.0, 10, new SplittableRandom(8));
        Graph<Integer, DefaultEdge> b = RandomGraphs.connectedWattsStrogatz(30, 6, 1.0, 10, new SplittableRandom(8));
        assertEquals(a.toString(), b.toString());
    }
}
