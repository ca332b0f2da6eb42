package org.prunelab.stages.recurrent;

import java.util.ArrayList;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.graph.GraphLayering;

/**
 * Wires a recurrent classifier from a graph (the structure-prior experiments): the graph's layering
 * gives one recurrent layer per graph layer with as many units as the layer has vertices; layer 0
 * reads the embedding through a dense input matrix; layer l ≥ 1 reads layer l − 1 through the
 * adjacency of the two layers as its input mask; every edge that skips layers (s → l, s < l − 1)
 * gets a skip layer masked by that adjacency; recurrent (h2h) matrices stay dense.
 */
public final class GraphRecurrentNetworks {
    private GraphRecurrentNetworks() {
    }

    public static RecurrentClassifier build(Graph<Integer, DefaultEdge> graph, CellType cell, int embeddingSize,
                                            GateLayout layout, int classes, Readout readout) {
        GraphLayering layering = GraphLayering.of(graph);
        int depth = layering.layerCount();
        int[] sizes = new int[depth];
        for (int l = 0; l < depth; l++) {
            sizes[l] = layering.layer(l).size();
        }
        List<int[]> skipPairs = new ArrayList<>();
        for (int to = 2; to < depth; to++) {
            for (int from = 0; from < to - 1; from++) {
                if (layering.connected(graph, from, to)) {
                    skipPairs.add(new int[] {from, to});
                }
            }
        }
        RecurrentClassifier model = new RecurrentClassifier(cell, embeddingSize, sizes, skipPairs, classes, readout);
        for (int l = 1; l < depth; l++) {
            RecurrentLayer layer = model.layers().get(l);
            layer.inputWeights().setMask(layout.expand(layering.adjacency(graph, l - 1, l), sizes[l], sizes[l - 1],
                    cell.gates()));
        }
        for (RecurrentClassifier.Skip skip : model.skips()) {
            skip.layer().inputWeights().setMask(layout.expand(layering.adjacency(graph, skip.from(), skip.to()),
                    sizes[skip.to()], sizes[skip.from()], cell.gates()));
        }
        return model;
    }
}
