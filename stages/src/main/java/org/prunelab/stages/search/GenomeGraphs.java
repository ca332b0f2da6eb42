package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.generate.WattsStrogatzGraphGenerator;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.graph.RandomGraphs;

/**
 * The graph of a genome and a seed: one draw of the named generator on vertices 0..n−1, made
 * connected. A search must be able to train every genome it proposes, and structural features need
 * a connected graph, so instead of redrawing until connected (which for sparse Erdős–Rényi genomes
 * may never happen) the components are joined: each component's lowest vertex is linked to the
 * lowest vertex of the component before it (components ordered by lowest vertex). The number of
 * joining edges is {@link Drawn#joined()}; a connected draw is left as it is.
 */
public final class GenomeGraphs {
    private GenomeGraphs() {
    }

    /** A graph and how many edges were added to connect it. */
    public record Drawn(Graph<Integer, DefaultEdge> graph, int joined) {
    }

    public static Drawn draw(Genome genome, long seed) {
        SplittableRandom rng = Seeds.stream(Seeds.derive(seed, "genome-graph/" + genome.generator().configName()));
        int n = genome.nodes();
        Graph<Integer, DefaultEdge> g = switch (genome.generator()) {
            case ERDOS_RENYI -> RandomGraphs.erdosRenyi(n, genome.erP(), rng);
            case WATTS_STROGATZ -> wattsStrogatz(n, genome.wsK(), genome.wsP(), rng);
            case BARABASI_ALBERT -> RandomGraphs.barabasiAlbert(n, genome.baM(),
                    RandomGraphs.BarabasiAlbertStart.ISOLATED, rng);
        };
        return new Drawn(g, join(g));
    }

    /** Watts–Strogatz on JGraphT without a connectivity requirement (joined afterwards like the others). */
    private static Graph<Integer, DefaultEdge> wattsStrogatz(int n, int k, double p, SplittableRandom rng) {
        int even = 2 * (k / 2);
        if (even < 2 || even >= n) {
            throw new IllegalArgumentException("Watts–Strogatz needs 2 <= k < n, got n=" + n + " k=" + k);
        }
        Graph<Integer, DefaultEdge> generated = RandomGraphs.empty(0);
        new WattsStrogatzGraphGenerator<Integer, DefaultEdge>(n, even, p, rng.nextLong())
                .generateGraph(generated);
        List<Integer> order = new ArrayList<>(generated.vertexSet());
        java.util.Collections.sort(order);
        Graph<Integer, DefaultEdge> g = RandomGraphs.empty(n);
        for (DefaultEdge e : generated.edgeSet()) {
            g.addEdge(order.indexOf(generated.getEdgeSource(e)), order.indexOf(generated.getEdgeTarget(e)));
        }
        return g;
    }

    /** Links the components into one; returns the number of edges added. */
    static int join(Graph<Integer, DefaultEdge> g) {
        List<Set<Integer>> components = new ConnectivityInspector<>(g).connectedSets();
        List<Integer> lowest = new ArrayList<>();
        for (Set<Integer> c : components) {
            lowest.add(java.util.Collections.min(c));
        }
        java.util.Collections.sort(lowest);
        for (int i = 1; i < lowest.size(); i++) {
            g.addEdge(lowest.get(i - 1), lowest.get(i));
        }
        return lowest.size() - 1;
    }
}
