package org.prunelab.stages.families.graphffn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.io.Npz;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.GenomeGraphStage;
import org.prunelab.stages.search.GenomeKeys;

/**
 * train: wires the graph step's graph into a {@link GraphFfn} under the genome's depth budget,
 * initialises it from the run's seed, trains it with Adam and reports validation accuracy (the
 * search's fitness) and test accuracy after every epoch and as final metrics {@code val_accuracy},
 * {@code test_accuracy}, {@code first_epoch_val_accuracy}. Saves the trained parameters
 * ({@code parameters.npz}). The step's identity is its genome, seed and training keys: the search
 * finds a candidate it has trained before as a committed step.
 */
public final class GraphFfnTrainStage implements Stage {
    static final ConfigKey<Integer> WIDTH = ConfigKey.integer("model.node_width", 4, 1, 4_096,
            "ReLU units per graph vertex");
    static final ConfigKey<String> KERNEL = ConfigKey.choice("model.kernel", "auto", List.of("auto", "dense", "sparse"),
            "masked-layer kernel per block (auto: CSR for sparse blocks)");
    static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("train.epochs", 3, 0, 10_000, "training epochs");
    static final ConfigKey<Integer> BATCH = ConfigKey.integer("train.batch_size", 64, 1, 1_000_000, "mini-batch size");
    static final ConfigKey<Double> LR = ConfigKey.real("train.lr", 1e-3, 1e-9, 10.0, "Adam learning rate");
    static final ConfigKey<Integer> EVAL_BATCH = ConfigKey.integer("train.eval_batch_size", 1000, 1, 1_000_000,
            "rows per evaluation batch (no effect on results)");
    static final ConfigKey<Integer> VALIDATION = ConfigKey.integer("graph-ffn.validation", 1000, 1, 10_000_000,
            "training images held out for validation, the search's fitness (the same split for every candidate)");
    static final ConfigKey<Long> SPLIT_SEED = ConfigKey.longInt("graph-ffn.split_seed", 0L,
            "seed of the train/validation split (not the run's seed: every candidate sees the same split)");

    private final String dataStep, graphStep;

    public GraphFfnTrainStage(String dataStep, String graphStep) {
        this.dataStep = dataStep;
        this.graphStep = graphStep;
    }

    @Override
    public String kind() {
        return "graph-ffn.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return new ArrayList<>(List.of(CommonKeys.SEED, GenomeKeys.DEPTH, WIDTH, KERNEL, EPOCHS, BATCH, LR, EVAL_BATCH,
                VALIDATION, SPLIT_SEED));
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        GraphFfnData data = GraphFfnData.load(DatasetRef.read(context.inputDir(dataStep)), c.get(VALIDATION),
                c.get(SPLIT_SEED), VALIDATION.name());
        BudgetedDag dag = BudgetedDag.of(GenomeGraphStage.read(context.inputDir(graphStep).resolve(GenomeGraphStage.EDGES)),
                c.get(GenomeKeys.DEPTH));
        GraphFfn net = GraphFfn.wire(dag, c.get(WIDTH), data.features(), data.classes());
        long seed = c.get(CommonKeys.SEED);
        net.initialise(Seeds.stream(Seeds.derive(seed, kind() + "/init")));
        context.metrics().log("hidden_units", net.hiddenUnits());
        context.metrics().log("kept_weights", net.keptWeights());
        context.metrics().log("network_layers", net.layers());

        GraphFfnTraining training = new GraphFfnTraining(net, data, c.get(KERNEL), c.get(BATCH), c.get(EVAL_BATCH),
                c.get(LR), Seeds.derive(seed, kind() + "/order"));
        Optional<Checkpoint> latest = context.checkpoints().latest();
        TrainingPosition from = latest.map(ck -> {
            TrainingPosition p = training.state().restore(ck);
            training.restoreExtras(ck.state());
            return p;
        }).orElse(TrainingPosition.start());
        int epochs = c.get(EPOCHS);
        TrainingPosition end;
        try (var task = context.progress().start(context.stepName() + " (graph-ffn, " + net.hiddenUnits() + " units)",
                (long) epochs * training.batches(0), from.updates())) {
            training.onUpdate(() -> task.step(1));
            EpochLoop loop = new EpochLoop(epochs, List.of(
                    new CheckpointPolicy(context.checkpoints(), 0, training.state().snapshot(training::extras)),
                    new MetricsPolicy(context.metrics(), "")));
            end = loop.run(training, from);
        }
        Map<String, Object> last = end.history().isEmpty() ? training.evaluate(0)
                : end.history().get(end.history().size() - 1);
        double firstVal = end.history().isEmpty() ? (double) last.get("val_accuracy")
                : ((Number) end.history().get(0).get("val_accuracy")).doubleValue();
        context.metrics().log("first_epoch_val_accuracy", firstVal);
        context.metrics().log("val_accuracy", ((Number) last.get("val_accuracy")).doubleValue(), Math.max(0, end.epoch()));
        context.metrics().log("test_accuracy", ((Number) last.get("test_accuracy")).doubleValue(), Math.max(0, end.epoch()));
        writeParameters(net, context);
        context.progress().log(String.format(Locale.ROOT, "%s: %d layers, %d units, %d weights: val %.2f%%, test %.2f%%",
                context.stepName(), net.layers(), net.hiddenUnits(), net.keptWeights(),
                100 * ((Number) last.get("val_accuracy")).doubleValue(),
                100 * ((Number) last.get("test_accuracy")).doubleValue()));
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
