package org.prunelab.stages.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
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
import org.prunelab.stages.io.Checkpoint;

/**
 * The train step every graph-wired family of the search shares: reads the graph step's graph under
 * the genome's depth budget, lets the family load its data and wire, initialise and size its network
 * ({@link #wire}), trains it on {@link GraphNetworkTraining} (resuming from the latest checkpoint),
 * and logs the search's fitness {@code val_accuracy} and {@code test_accuracy} as final metrics
 * (the last epoch's, or of the untrained network when there are no epochs). The step's identity is
 * its genome, seed and training keys: the search finds a candidate it has trained before as a
 * committed step. A family keeps only its model, its data and its {@code model.*} keys.
 */
public abstract class GraphNetworkTrainStage implements Stage {
    private final String dataStep, graphStep;
    private final GraphTrainingKeys keys;

    protected GraphNetworkTrainStage(String dataStep, String graphStep, GraphTrainingKeys keys) {
        this.dataStep = dataStep;
        this.graphStep = graphStep;
        this.keys = keys;
    }

    /**
     * What a family built for one run: the training of its network, a label for the progress line
     * (e.g. {@code graph-ffn, 120 units}), a summary for the closing line (e.g. {@code 3 layers, 120
     * units, 900 weights}) and what it adds after training.
     */
    public record WiredNetwork(GraphNetworkTraining training, String label, String summary, Finish finish) {
        public WiredNetwork(GraphNetworkTraining training, String label, String summary) {
            this(training, label, summary, (context, end, last) -> { });
        }
    }

    /** Family outputs after training (extra metrics, parameter files), before the final metrics are logged. */
    @FunctionalInterface
    public interface Finish {
        /** {@code last} is the metrics row the final metrics come from. */
        void after(StageContext context, TrainingPosition end, Map<String, Object> last) throws Exception;
    }

    /** The family's {@code model.*} keys (declared after {@code seed} and {@code genome.depth}). */
    protected abstract List<ConfigKey<?>> modelKeys();

    /**
     * Loads the data from {@code dataDir}, wires {@code dag} into the family's network, initialises it
     * from {@code initRng}, logs its size metrics and returns its training, whose batch order comes from
     * {@code orderSeed}.
     */
    protected abstract WiredNetwork wire(StageContext context, Path dataDir, BudgetedDag dag, SplittableRandom initRng,
                                         long orderSeed) throws Exception;

    /** The shared training keys, for the family's data split. */
    protected final GraphTrainingKeys trainingKeys() {
        return keys;
    }

    @Override
    public final List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> all = new ArrayList<>(List.of(CommonKeys.SEED, GenomeKeys.DEPTH));
        all.addAll(modelKeys());
        all.addAll(List.of(keys.epochs(), keys.batch(), keys.lr(), keys.evalBatch(), keys.validation(),
                keys.splitSeed()));
        return all;
    }

    @Override
    public final void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        BudgetedDag dag = BudgetedDag.of(GenomeGraphStage.read(context.inputDir(graphStep).resolve(GenomeGraphStage.EDGES)),
                c.get(GenomeKeys.DEPTH));
        long seed = c.get(CommonKeys.SEED);
        WiredNetwork net = wire(context, context.inputDir(dataStep), dag, Seeds.stream(Seeds.derive(seed, kind() + "/init")),
                Seeds.derive(seed, kind() + "/order"));
        GraphNetworkTraining training = net.training();
        Optional<Checkpoint> latest = context.checkpoints().latest();
        TrainingPosition from = latest.map(ck -> {
            TrainingPosition p = training.state().restore(ck);
            training.restoreExtras(ck.state());
            return p;
        }).orElse(TrainingPosition.start());
        int epochs = c.get(keys.epochs());
        TrainingPosition end;
        try (var task = context.progress().start(context.stepName() + " (" + net.label() + ")",
                (long) epochs * training.batches(0), from.updates())) {
            training.onUpdate(() -> task.step(1));
            end = new EpochLoop(epochs, List.of(
                    new CheckpointPolicy(context.checkpoints(), 0, training.state().snapshot(training::extras)),
                    new MetricsPolicy(context.metrics(), ""))).run(training, from);
        }
        Map<String, Object> last = end.history().isEmpty() ? training.evaluate(0)
                : end.history().get(end.history().size() - 1);
        net.finish().after(context, end, last);
        double val = ((Number) last.get("val_accuracy")).doubleValue(), test = ((Number) last.get("test_accuracy")).doubleValue();
        context.metrics().log("val_accuracy", val, Math.max(0, end.epoch()));
        context.metrics().log("test_accuracy", test, Math.max(0, end.epoch()));
        context.progress().log(String.format(Locale.ROOT, "%s: %s: val %.2f%%, test %.2f%%", context.stepName(),
                net.summary(), 100 * val, 100 * test));
    }
}
