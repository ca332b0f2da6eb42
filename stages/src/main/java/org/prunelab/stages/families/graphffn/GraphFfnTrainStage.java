package org.prunelab.stages.families.graphffn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.io.Npz;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.GraphNetworkTrainStage;
import org.prunelab.stages.search.GraphTrainingKeys;

/**
 * train (graph-ffn): wires the graph into a {@link GraphFfn} of {@code model.node_width} ReLU units
 * per vertex and trains it on MNIST / Fashion-MNIST ({@link GraphFfnData}: standardised pixels, a
 * validation split fixed by {@code graph-ffn.split_seed}). Besides the shared final metrics it logs
 * {@code first_epoch_val_accuracy} and saves the trained parameters ({@code parameters.npz}).
 */
public final class GraphFfnTrainStage extends GraphNetworkTrainStage {
    static final ConfigKey<Integer> WIDTH = ConfigKey.integer("model.node_width", 4, 1, 4_096,
            "ReLU units per graph vertex");
    static final ConfigKey<String> KERNEL = ConfigKey.choice("model.kernel", "auto", List.of("auto", "dense", "sparse"),
            "masked-layer kernel per block (auto: CSR for sparse blocks)");
    static final GraphTrainingKeys TRAINING = GraphTrainingKeys.of("graph-ffn", 3, 1000, 1000);

    public GraphFfnTrainStage(String dataStep, String graphStep) {
        super(dataStep, graphStep, TRAINING);
    }

    @Override
    public String kind() {
        return "graph-ffn.train";
    }

    @Override
    protected List<ConfigKey<?>> modelKeys() {
        return List.of(WIDTH, KERNEL);
    }

    @Override
    protected WiredNetwork wire(StageContext context, Path dataDir, BudgetedDag dag, SplittableRandom initRng,
                                long orderSeed) throws Exception {
        StageConfig c = context.config();
        GraphFfnData data = GraphFfnData.load(DatasetRef.read(dataDir), c.get(TRAINING.validation()),
                c.get(TRAINING.splitSeed()), TRAINING.validation().name());
        GraphFfn net = GraphFfn.wire(dag, c.get(WIDTH), data.features(), data.classes());
        net.initialise(initRng);
        context.metrics().log("hidden_units", net.hiddenUnits());
        context.metrics().log("kept_weights", net.keptWeights());
        context.metrics().log("network_layers", net.layers());
        GraphFfnTraining training = new GraphFfnTraining(net, data, c.get(KERNEL), c.get(TRAINING.batch()),
                c.get(TRAINING.evalBatch()), c.get(TRAINING.lr()), orderSeed);
        return new WiredNetwork(training, "graph-ffn, " + net.hiddenUnits() + " units",
                net.layers() + " layers, " + net.hiddenUnits() + " units, " + net.keptWeights() + " weights",
                (ctx, end, last) -> {
                    double firstVal = end.history().isEmpty() ? (double) last.get("val_accuracy")
                            : ((Number) end.history().get(0).get("val_accuracy")).doubleValue();
                    ctx.metrics().log("first_epoch_val_accuracy", firstVal);
                    writeParameters(net, ctx);
                });
    }

    private static void writeParameters(GraphFfn net, StageContext context) throws java.io.IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        for (GraphFfn.Block b : net.blocks()) {
            arrays.put(b.name(), new Npy.Array(new int[] {b.out(), b.in()}, b.w().clone(), null));
            arrays.put(b.name() + ".mask", new Npy.Array(new int[] {b.out(), b.in()}, null, b.mask().clone()));
        }
        for (int t = 0; t <= net.layers(); t++) {
            arrays.put(t == net.layers() ? "b_out" : "b_l" + t, new Npy.Array(new int[] {net.bias(t).length},
                    net.bias(t).clone(), null));
        }
        Npz.write(context.workDir().resolve("parameters.npz"), arrays);
    }
}
