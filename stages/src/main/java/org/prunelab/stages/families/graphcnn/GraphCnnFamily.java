package org.prunelab.stages.families.graphcnn;

import java.util.List;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.data.cifar.Cifar10DataStage;
import org.prunelab.stages.search.GenomeGraphStage;

/**
 * {@code pipeline: graph-cnn} — graph-wired convolutional networks on CIFAR-10 (the architecture
 * search's family (b)): load-data (CIFAR-10 binary batches) → graph → train.
 */
public final class GraphCnnFamily implements ModelFamily {
    @Override
    public String name() {
        return "graph-cnn";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new Cifar10DataStage()),
                new Step("graph", new GenomeGraphStage()),
                new Step("train", new GraphCnnTrainStage("load-data", "graph"), "load-data", "graph"));
    }
}
