package org.prunelab.stages.families.graphrnn;

import java.util.List;
import org.prunelab.stages.ModelFamily;
import org.prunelab.stages.families.rnn.ReberDataStage;
import org.prunelab.stages.families.rnn.RnnEvaluateStage;
import org.prunelab.stages.families.rnn.RnnTrainStage;

/**
 * {@code pipeline: graph-rnn} — recurrent networks wired from random graphs on the Reber task (the
 * structure-prior experiments): load-data → graph → init → train → evaluate. The graph step's
 * structural features and the evaluate step's accuracy are what the prediction study regresses.
 */
public final class GraphRnnFamily implements ModelFamily {
    @Override
    public String name() {
        return "graph-rnn";
    }

    @Override
    public List<Step> steps() {
        return List.of(
                new Step("load-data", new ReberDataStage()),
                new Step("graph", new GraphSampleStage()),
                new Step("init", new GraphInitStage("graph"), "graph"),
                new Step("train", new RnnTrainStage("train", "load-data", "init", 15), "load-data", "init"),
                new Step("evaluate", new RnnEvaluateStage("load-data", "train"), "load-data", "train"));
    }
}
