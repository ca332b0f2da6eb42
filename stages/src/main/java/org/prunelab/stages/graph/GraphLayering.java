package org.prunelab.stages.graph;

import java.util.ArrayList;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultEdge;

/**
 * Turns an undirected graph on vertices 0..n−1 into the layers of a feed-forward (or stacked
 * recurrent) network: every edge is oriented from the lower to the higher index, which makes the
 * graph acyclic, and a vertex's layer is the length of the longest directed path that ends in it
 * (sources — vertices without incoming edges — are layer 0). Every edge then goes from a lower to a
 * strictly higher layer; an edge that skips layers is a skip connection.
 */
public final class GraphLayering {
    private final int[] layerOf;
    private final List<List<Integer>> layers;

    private GraphLayering(int[] layerOf, List<List<Integer>> layers) {
        this.layerOf = layerOf;
        this.layers = layers;
    }

    public static GraphLayering of(Graph<Integer, DefaultEdge> graph) {
        int n = graph.vertexSet().size();
        for (int v = 0; v < n; v++) {
            if (!graph.containsVertex(v)) {
                throw new IllegalArgumentException("vertices must be 0.." + (n - 1) + ", vertex " + v + " is missing");
            }
        }
        int[] layerOf = new int[n];
        int depth = 0;
        // Ascending index is a topological order of the low → high orientation.
        for (int v = 0; v < n; v++) {
            int layer = 0;
            for (int u : Graphs.neighborListOf(graph, v)) {
                if (u < v) {
                    layer = Math.max(layer, layerOf[u] + 1);
                }
            }
            layerOf[v] = layer;
            depth = Math.max(depth, layer);
        }
        List<List<Integer>> layers = new ArrayList<>();
        for (int l = 0; l <= depth; l++) {
            layers.add(new ArrayList<>());
        }
        for (int v = 0; v < n; v++) {
            layers.get(layerOf[v]).add(v);
        }
        List<List<Integer>> frozen = new ArrayList<>();
        for (List<Integer> l : layers) {
            frozen.add(List.copyOf(l));
        }
        return new GraphLayering(layerOf, List.copyOf(frozen));
    }

    public int layerCount() {
        return layers.size();
    }

    /** Vertices of layer {@code l}, ascending. */
    public List<Integer> layer(int l) {
        return layers.get(l);
    }

    public int layerOf(int vertex) {
        return layerOf[vertex];
    }

    /** Position of {@code vertex} within its layer (its unit index in that layer's network layer). */
    public int positionInLayer(int vertex) {
        return layers.get(layerOf[vertex]).indexOf(vertex);
    }

    /** Layer-0 vertices: no incoming edge. */
    public int sourceCount() {
        return layers.get(0).size();
    }

    /** Vertices of the last layer. */
    public int sinkCount() {
        return layers.get(layers.size() - 1).size();
    }

    /**
     * The 0/1 mask of the edges from layer {@code from} to layer {@code to} (from < to), laid out as a
     * weight matrix: rows are {@code to}'s vertices, columns {@code from}'s (row-major).
     */
    public byte[] adjacency(Graph<Integer, DefaultEdge> graph, int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("edges go from a lower to a higher layer, got " + from + " -> " + to);
        }
        List<Integer> src = layers.get(from), dst = layers.get(to);
        byte[] mask = new byte[dst.size() * src.size()];
        for (int r = 0; r < dst.size(); r++) {
            for (int c = 0; c < src.size(); c++) {
                if (graph.containsEdge(src.get(c), dst.get(r))) {
                    mask[r * src.size() + c] = 1;
                }
            }
        }
        return mask;
    }

    /** Whether any edge runs from layer {@code from} to layer {@code to}. */
    public boolean connected(Graph<Integer, DefaultEdge> graph, int from, int to) {
        for (byte b : adjacency(graph, from, to)) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }
}
