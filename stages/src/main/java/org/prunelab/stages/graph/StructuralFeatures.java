package org.prunelab.stages.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.alg.scoring.BetweennessCentrality;
import org.jgrapht.alg.scoring.ClosenessCentrality;
import org.jgrapht.alg.scoring.EdgeBetweennessCentrality;
import org.jgrapht.alg.shortestpath.FloydWarshallShortestPaths;
import org.jgrapht.alg.shortestpath.GraphMeasurer;
import org.jgrapht.graph.DefaultEdge;

/**
 * The 23 structural properties of a graph that the performance-prediction experiment regresses on,
 * computed with JGraphT on the undirected graph and scaled as networkx scales them (the authors'
 * library), so that values compare with theirs:
 * <ul>
 *   <li>from the layering: layers, nodes, edges, source nodes, sink nodes;</li>
 *   <li>diameter; density as the authors computed it, edges / (n(n−1)); average shortest path length
 *       (mean over ordered pairs);</li>
 *   <li>mean, sample variance and sample standard deviation of: eccentricity; degree centrality
 *       deg/(n−1); closeness centrality (n−1)/Σd; node betweenness normalised by C(n−1, 2) pairs;
 *       edge betweenness normalised by C(n, 2) pairs.</li>
 * </ul>
 * Distances are only defined on a connected graph; a disconnected one is refused.
 */
public final class StructuralFeatures {
    /** Feature names in their fixed order (the columns of every feature table). */
    public static final List<String> NAMES = List.of(
            "layers", "nodes", "edges", "source_nodes", "sink_nodes",
            "diameter", "density", "avg_shortest_path",
            "eccentricity_mean", "eccentricity_var", "eccentricity_std",
            "degree_centrality_mean", "degree_centrality_var", "degree_centrality_std",
            "closeness_centrality_mean", "closeness_centrality_var", "closeness_centrality_std",
            "node_betweenness_mean", "node_betweenness_var", "node_betweenness_std",
            "edge_betweenness_mean", "edge_betweenness_var", "edge_betweenness_std");

    private StructuralFeatures() {
    }

    public static Map<String, Double> of(Graph<Integer, DefaultEdge> g) {
        int n = g.vertexSet().size();
        if (n < 3) {
            throw new IllegalArgumentException("structural features need at least 3 vertices, got " + n);
        }
        if (!new ConnectivityInspector<>(g).isConnected()) {
            throw new IllegalArgumentException("structural features need a connected graph (distances are undefined)");
        }
        GraphLayering layering = GraphLayering.of(g);
        int m = g.edgeSet().size();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("layers", (double) layering.layerCount());
        f.put("nodes", (double) n);
        f.put("edges", (double) m);
        f.put("source_nodes", (double) layering.sourceCount());
        f.put("sink_nodes", (double) layering.sinkCount());

        FloydWarshallShortestPaths<Integer, DefaultEdge> paths = new FloydWarshallShortestPaths<>(g);
        GraphMeasurer<Integer, DefaultEdge> measurer = new GraphMeasurer<>(g, paths);
        f.put("diameter", measurer.getDiameter());
        f.put("density", m / (double) (n * (n - 1)));
        double total = 0;
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < n; t++) {
                total += s == t ? 0 : paths.getPathWeight(s, t);
            }
        }
        f.put("avg_shortest_path", total / (n * (double) (n - 1)));
        summarise(f, "eccentricity", measurer.getVertexEccentricityMap().values());

        List<Double> degree = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            degree.add(g.degreeOf(v) / (double) (n - 1));
        }
        summarise(f, "degree_centrality", degree);
        summarise(f, "closeness_centrality", new ClosenessCentrality<>(g, false, true).getScores().values());

        // JGraphT halves undirected betweenness (each path found from both ends) before normalising by
        // (n−1)(n−2); networkx's normalised value is the pair count over C(n−1, 2), i.e. twice that.
        List<Double> node = new ArrayList<>();
        double nodeScale = 2.0 / ((n - 1) * (double) (n - 2));
        for (double b : new BetweennessCentrality<>(g, false).getScores().values()) {
            node.add(b * nodeScale);
        }
        summarise(f, "node_betweenness", node);
        List<Double> edge = new ArrayList<>();
        double edgeScale = 2.0 / (n * (double) (n - 1));
        // Summed in the graph's edge order, not the score map's: that map is keyed by edge objects
        // (identity hash codes), so its order, and the sum's last bits, changed from JVM to JVM.
        Map<DefaultEdge, Double> edgeScores = new EdgeBetweennessCentrality<>(g).getScores();
        for (DefaultEdge e : g.edgeSet()) {
            edge.add(edgeScores.get(e) * edgeScale);
        }
        summarise(f, "edge_betweenness", edge);
        return f;
    }

    private static void summarise(Map<String, Double> f, String name, Collection<Double> values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.size();
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double var = values.size() > 1 ? ss / (values.size() - 1) : 0.0;
        f.put(name + "_mean", mean);
        f.put(name + "_var", var);
        f.put(name + "_std", Math.sqrt(var));
    }
}
