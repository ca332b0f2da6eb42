package org.prunelab.stages.families.graphrnn;

import java.util.ArrayList;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.families.rnn.RnnModels;
import org.prunelab.stages.recurrent.CellType;
import org.prunelab.stages.recurrent.GateLayout;
import org.prunelab.stages.recurrent.Readout;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/** init: the recurrent classifier wired from the graph step's graph, initialised from the run's seed. */
public final class GraphInitStage implements Stage {
    static final ConfigKey<String> CELL = ConfigKey.choice("model.cell", "gru",
            List.of("rnn-tanh", "rnn-relu", "gru", "lstm"), "recurrent cell of every graph layer");
    static final ConfigKey<Integer> EMBEDDING = ConfigKey.integer("model.embedding", 50, 1, 10_000,
            "embedding size of the 128 ASCII codes");
    static final ConfigKey<String> LAYOUT = ConfigKey.choice("mask.gate_layout", "block", List.of("block", "interleaved"),
            "how an edge's mask covers a gated cell's rows: block (every gate of the unit) or interleaved (np.repeat)");
    static final ConfigKey<String> READOUT = ConfigKey.choice("model.readout", "last-step",
            List.of("last-step", "last-symbol"), "which time step of the last layer is classified");
    private final String graphStep;

    public GraphInitStage(String graphStep) {
        this.graphStep = graphStep;
    }

    @Override
    public String kind() {
        return "graph-rnn.init";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return new ArrayList<>(List.of(CommonKeys.SEED, CELL, EMBEDDING, LAYOUT, READOUT));
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        Graph<Integer, DefaultEdge> graph = GraphSampleStage.read(context.inputDir(graphStep).resolve(GraphSampleStage.EDGES));
        CellType cell = CellType.parse(c.get(CELL));
        RecurrentClassifier model = org.prunelab.stages.recurrent.GraphRecurrentNetworks.build(graph, cell,
                c.get(EMBEDDING), GateLayout.parse(c.get(LAYOUT)), 2, Readout.parse(c.get(READOUT)));
        model.initialise(Seeds.stream(Seeds.derive(c.get(CommonKeys.SEED), kind())));
        RnnModels.write(model, context.workDir());
        context.metrics().log("recurrent_layers", model.layers().size());
        context.metrics().log("skip_layers", model.skips().size());
        context.progress().log(context.stepName() + ": " + cell.configName() + " on " + model.layers().size()
                + " graph layers with " + model.skips().size() + " skip layers (gate layout " + c.get(LAYOUT) + ")");
    }
}
