package org.prunelab.stages.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.generate.GnpRandomGraphGenerator;
import org.jgrapht.generate.WattsStrogatzGraphGenerator;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;
import org.jgrapht.util.SupplierUtil;

/**
 * Seeded random-graph models on vertices 0..n−1 (undirected, simple). Watts–Strogatz and
 * Erdős–Rényi come from JGraphT. Barabási–Albert is written here because the structure-prior
 * experiments need the variant their authors' library (networkx 2.x) implemented, which JGraphT does
 * not offer: growth starts from m ISOLATED vertices, and each new vertex attaches to m distinct
 * targets drawn from a list in which every vertex appears once per edge end it has (preferential
 * attachment), the first new vertex attaching to all m seeds. It has exactly (n − m)·m edges.
 */
public final class RandomGraphs {
    private RandomGraphs() {
    }

    /** How a Barabási–Albert graph starts growing. */
    public enum BarabasiAlbertStart { ISOLATED, STAR }

    /** The generator could not produce a graph with the required property (e.g. connectivity). */
    public static final class GenerationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public GenerationException(String message) {
            super(message);
        }
    }

    public static Graph<Integer, DefaultEdge> empty(int n) {
        Graph<Integer, DefaultEdge> g = new SimpleGraph<>(SupplierUtil.createIntegerSupplier(),
                SupplierUtil.DEFAULT_EDGE_SUPPLIER, false);
        for (int v = 0; v < n; v++) {
            g.addVertex(v);
        }
        return g;
    }

    /**
     * Barabási–Albert with m edges per new vertex. {@link BarabasiAlbertStart#STAR} starts from a star
     * on m + 1 vertices instead (the modern networkx default), which adds m edges and shifts growth.
     */
    public static Graph<Integer, DefaultEdge> barabasiAlbert(int n, int m, BarabasiAlbertStart start,
                                                             SplittableRandom rng) {
        if (m < 1 || m >= n) {
            throw new IllegalArgumentException("Barabási–Albert needs 1 <= m < n, got n=" + n + " m=" + m);
        }
        Graph<Integer, DefaultEdge> g = empty(n);
        List<Integer> repeated = new ArrayList<>();   // one entry per edge end: the attachment weights
        int source;
        List<Integer> targets = new ArrayList<>();
        if (start == BarabasiAlbertStart.STAR) {
            for (int v = 1; v <= m; v++) {
                g.addEdge(0, v);
                repeated.add(0);
                repeated.add(v);
            }
            source = m + 1;
            targets = distinctFrom(repeated, m, rng);
        } else {
            for (int v = 0; v < m; v++) {
                targets.add(v);
            }
            source = m;
        }
        while (source < n) {
            for (int t : targets) {
                g.addEdge(source, t);
            }
            repeated.addAll(targets);
            for (int i = 0; i < m; i++) {
                repeated.add(source);
            }
            targets = distinctFrom(repeated, m, rng);
            source++;
        }
        return g;
    }

    /** m distinct entries drawn uniformly (with multiplicity as weight) from {@code pool}, in draw order. */
    private static List<Integer> distinctFrom(List<Integer> pool, int m, SplittableRandom rng) {
        List<Integer> chosen = new ArrayList<>(m);
        while (chosen.size() < m) {
            int v = pool.get(rng.nextInt(pool.size()));
            if (!chosen.contains(v)) {
                chosen.add(v);
            }
        }
        return chosen;
    }

    /**
     * A connected Watts–Strogatz graph: a ring lattice where each vertex links to its ⌊k/2⌋ nearest
     * neighbours on each side (so n·⌊k/2⌋ edges, as networkx builds it for odd k too), every edge
     * rewired with probability p; redrawn up to {@code tries} times until connected.
     */
    public static Graph<Integer, DefaultEdge> connectedWattsStrogatz(int n, int k, double p, int tries,
                                                                     SplittableRandom rng) {
        int even = 2 * (k / 2);
        if (even < 2 || even >= n) {
            throw new IllegalArgumentException("Watts–Strogatz needs 2 <= k < n, got n=" + n + " k=" + k);
        }
        for (int attempt = 0; attempt < tries; attempt++) {
            Graph<Integer, DefaultEdge> g = empty(0);
            new WattsStrogatzGraphGenerator<Integer, DefaultEdge>(n, even, p, rng.nextLong()).generateGraph(g);
            if (new ConnectivityInspector<>(g).isConnected()) {
                return relabelled(g);
            }
        }
        throw new GenerationException("no connected Watts–Strogatz graph with n=" + n + ", k=" + k + ", p=" + p
                + " in " + tries + " tries");
    }

    /** G(n, p): every pair linked independently with probability p. */
    public static Graph<Integer, DefaultEdge> erdosRenyi(int n, double p, SplittableRandom rng) {
        if (n < 1 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Erdős–Rényi needs n >= 1 and p in [0, 1], got n=" + n + " p=" + p);
        }
        Graph<Integer, DefaultEdge> g = empty(0);
        new GnpRandomGraphGenerator<Integer, DefaultEdge>(n, p, new Random(rng.nextLong()), false).generateGraph(g);
        return relabelled(g);
    }

    /** The same graph on vertices 0..n−1 in the generator's vertex order (generators may start anywhere). */
    private static Graph<Integer, DefaultEdge> relabelled(Graph<Integer, DefaultEdge> g) {
        List<Integer> order = new ArrayList<>(g.vertexSet());
        java.util.Collections.sort(order);
        java.util.Map<Integer, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        Graph<Integer, DefaultEdge> out = empty(order.size());
        for (DefaultEdge e : g.edgeSet()) {
            out.addEdge(index.get(g.getEdgeSource(e)), index.get(g.getEdgeTarget(e)));
        }
        return out;
    }
}
