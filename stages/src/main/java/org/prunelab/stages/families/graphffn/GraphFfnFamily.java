package org.prunelab.stages.families.graphffn;

import java.util.List;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.data.LoadDataStage;
import org.prunelab.stages.search.GenomeGraphStage;

/**
 * {@code pipeline: graph-ffn} — sparse feed-forward networks wired from a genome's random graph (the
 * architecture search's family (a), MNIST / Fashion-MNIST): load-data → graph → train. The graph
 * step's features feed the search's predictor, the train step's validation accuracy is the fitness.
 */
public final class GraphFfnFamily implements ModelFamily {
    @Override
    public String name() {
        return "graph-ffn";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new LoadDataStage()),
                new Step("graph", new GenomeGraphStage()),
                new Step("train", new GraphFfnTrainStage("load-data", "graph"), "load-data", "graph"));
    }
}
