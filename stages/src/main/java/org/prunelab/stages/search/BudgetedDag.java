package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.graph.GraphLayering;

/**
 * The directed acyclic wiring of a network built from an undirected graph under a depth budget.
 * Edges point from the lower to the higher vertex index and vertices get the longest-path layers of
 * {@link GraphLayering}; when that needs more than {@code depth} layers, layer l becomes network layer
 * ⌊l·depth/L⌋ (L = the graph's layer count), which merges neighbouring layers evenly, and an edge
 * whose ends fall into the same network layer is dropped (a network layer has no internal
 * connections). Then:
 * <ul>
 *   <li>a vertex without incoming edge reads the network input (the graph's sources, and any vertex
 *       whose predecessors were all merged into its own layer);</li>
 *   <li>a vertex without outgoing edge feeds the output (every sink, not only the last layer's, so
 *       no vertex is a dead end);</li>
 *   <li>an edge that spans more than one network layer is a skip connection.</li>
 * </ul>
 */
public final class BudgetedDag {
    private final int vertices;
    private final int[] layerOf;
    private final List<List<Integer>> layers;
    private final List<int[]> edges;   // {from, to}, from < to, layerOf[from] < layerOf[to], ascending
    private final boolean[] readsInput, feedsOutput;
    private final int droppedEdges;

    private BudgetedDag(int vertices, int[] layerOf, List<List<Integer>> layers, List<int[]> edges, boolean[] readsInput,
                        boolean[] feedsOutput, int droppedEdges) {
        this.vertices = vertices;
        this.layerOf = layerOf;
        this.layers = layers;
        this.edges = edges;
        this.readsInput = readsInput;
        this.feedsOutput = feedsOutput;
        this.droppedEdges = droppedEdges;
    }

    public static BudgetedDag of(Graph<Integer, DefaultEdge> graph, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth budget must be >= 1, got " + depth);
        }
        GraphLayering layering = GraphLayering.of(graph);
        int n = graph.vertexSet().size();
        int graphLayers = layering.layerCount();
        int[] layerOf = new int[n];
        int used = 0;
        for (int v = 0; v < n; v++) {
            int l = layering.layerOf(v);
            layerOf[v] = graphLayers <= depth ? l : (int) ((long) l * depth / graphLayers);
            used = Math.max(used, layerOf[v] + 1);
        }
        List<List<Integer>> layers = new ArrayList<>();
        for (int l = 0; l < used; l++) {
            layers.add(new ArrayList<>());
        }
        for (int v = 0; v < n; v++) {
            layers.get(layerOf[v]).add(v);
        }
        List<int[]> edges = new ArrayList<>();
        int dropped = 0;
        boolean[] hasIn = new boolean[n], hasOut = new boolean[n];
        for (DefaultEdge e : graph.edgeSet()) {
            int a = graph.getEdgeSource(e), b = graph.getEdgeTarget(e);
            int from = Math.min(a, b), to = Math.max(a, b);
            if (layerOf[from] == layerOf[to]) {
                dropped++;
                continue;
            }
            edges.add(new int[] {from, to});
            hasOut[from] = true;
            hasIn[to] = true;
        }
        edges.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
        boolean[] readsInput = new boolean[n], feedsOutput = new boolean[n];
        for (int v = 0; v < n; v++) {
            readsInput[v] = !hasIn[v];
            feedsOutput[v] = !hasOut[v];
        }
        List<List<Integer>> frozen = new ArrayList<>();
        layers.forEach(l -> frozen.add(List.copyOf(l)));
        return new BudgetedDag(n, layerOf, List.copyOf(frozen), List.copyOf(edges), readsInput, feedsOutput, dropped);
    }

    public int vertices() {
        return vertices;
    }

    public int layerCount() {
        return layers.size();
    }

    /** Vertices of network layer l, ascending. */
    public List<Integer> layer(int l) {
        return layers.get(l);
    }

    public int layerOf(int v) {
        return layerOf[v];
    }

    public int positionInLayer(int v) {
        return layers.get(layerOf[v]).indexOf(v);
    }

    /** Directed edges {from, to}, ascending. */
    public List<int[]> edges() {
        return edges;
    }

    public boolean readsInput(int v) {
        return readsInput[v];
    }

    public boolean feedsOutput(int v) {
        return feedsOutput[v];
    }

    /** Edges lost because the depth budget merged both ends into one layer. */
    public int droppedEdges() {
        return droppedEdges;
    }

    /** Edges that skip at least one network layer. */
    public int skipEdges() {
        int s = 0;
        for (int[] e : edges) {
            s += layerOf[e[1]] - layerOf[e[0]] > 1 ? 1 : 0;
        }
        return s;
    }
}
