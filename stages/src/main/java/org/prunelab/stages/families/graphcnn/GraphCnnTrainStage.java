package org.prunelab.stages.families.graphcnn;

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
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.CheckpointPolicy;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.MetricsPolicy;
import org.prunelab.stages.core.TrainingPosition;
import org.prunelab.stages.data.cifar.Cifar10DataStage;
import org.prunelab.stages.data.cifar.CifarImages;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.GenomeGraphStage;
import org.prunelab.stages.search.GenomeKeys;

/**
 * train (graph-cnn): wires the graph step's graph into a {@link GraphCnn} under the genome's depth
 * budget and trains it on CIFAR-10 (pixels/255 standardised per channel with the training split's
 * statistics; a validation split fixed by {@code cifar.split_seed}); final metrics
 * {@code val_accuracy} (the search's fitness) and {@code test_accuracy}. No data augmentation.
 */
public final class GraphCnnTrainStage implements Stage {
    static final ConfigKey<Integer> CHANNELS = ConfigKey.integer("model.channels", 16, 1, 4_096, "channels of every cell");
    static final ConfigKey<Integer> HEAD = ConfigKey.integer("model.head_channels", 64, 1, 16_384,
            "output channels of the 1x1 convolution before pooling");
    static final ConfigKey<Integer> STEM_STRIDE = ConfigKey.integer("model.stem_stride", 2, 1, 8,
            "stride of the stem convolution (2: cells work at 16x16)");
    static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("train.epochs", 10, 0, 10_000, "training epochs");
    static final ConfigKey<Integer> BATCH = ConfigKey.integer("train.batch_size", 64, 1, 1_000_000, "mini-batch size");
    static final ConfigKey<Double> LR = ConfigKey.real("train.lr", 1e-3, 1e-9, 10.0, "Adam learning rate");
    static final ConfigKey<Integer> EVAL_BATCH = ConfigKey.integer("train.eval_batch_size", 500, 1, 1_000_000,
            "images per evaluation batch (no effect on results)");
    static final ConfigKey<Integer> VALIDATION = ConfigKey.integer("cifar.validation", 5000, 1, 10_000_000,
            "training images held out for validation, the search's fitness");
    static final ConfigKey<Long> SPLIT_SEED = ConfigKey.longInt("cifar.split_seed", 0L,
            "seed of the train/validation split (the same for every candidate)");

    private final String dataStep, graphStep;

    public GraphCnnTrainStage(String dataStep, String graphStep) {
        this.dataStep = dataStep;
        this.graphStep = graphStep;
    }

    @Override
    public String kind() {
        return "graph-cnn.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return new ArrayList<>(List.of(CommonKeys.SEED, GenomeKeys.DEPTH, CHANNELS, HEAD, STEM_STRIDE, EPOCHS, BATCH, LR,
                EVAL_BATCH, VALIDATION, SPLIT_SEED));
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        Cifar10DataStage.Ref ref = Cifar10DataStage.Ref.read(context.inputDir(dataStep));
        CifarImages train = ref.train(), test = ref.test();
        int validation = c.get(VALIDATION);
        if (validation >= train.count()) {
            throw new ConfigException(VALIDATION.name() + ": " + validation + " validation images leave none of the "
                    + train.count() + " training images for training");
        }
        double[][] x = new double[3][];
        int[][] y = new int[3][];
        split(train, test, validation, c.get(SPLIT_SEED), x, y);
        BudgetedDag dag = BudgetedDag.of(GenomeGraphStage.read(context.inputDir(graphStep).resolve(GenomeGraphStage.EDGES)),
                c.get(GenomeKeys.DEPTH));
        GraphCnn net = new GraphCnn(dag, CifarImages.CHANNELS, CifarImages.SIDE, c.get(CHANNELS), c.get(HEAD),
                CifarImages.CLASSES, c.get(STEM_STRIDE), Gemm.create(1));
        long seed = c.get(CommonKeys.SEED);
        net.initialise(Seeds.stream(Seeds.derive(seed, kind() + "/init")));
        context.metrics().log("parameters", net.parameterCount());
        GraphCnnTraining training = new GraphCnnTraining(net, x, y, c.get(BATCH), c.get(EVAL_BATCH), c.get(LR),
                Seeds.derive(seed, kind() + "/order"));
        Optional<Checkpoint> latest = context.checkpoints().latest();
        TrainingPosition from = latest.map(ck -> {
            TrainingPosition p = training.state().restore(ck);
            training.restoreExtras(ck.state());
            return p;
        }).orElse(TrainingPosition.start());
        int epochs = c.get(EPOCHS);
        TrainingPosition end;
        try (var task = context.progress().start(context.stepName() + " (graph-cnn, " + dag.vertices() + " cells)",
                (long) epochs * training.batches(0), from.updates())) {
            training.onUpdate(() -> task.step(1));
            end = new EpochLoop(epochs, List.of(
                    new CheckpointPolicy(context.checkpoints(), 0, training.state().snapshot(training::extras)),
                    new MetricsPolicy(context.metrics(), ""))).run(training, from);
        }
        Map<String, Object> last = end.history().isEmpty() ? training.evaluate(0)
                : end.history().get(end.history().size() - 1);
        double val = ((Number) last.get("val_accuracy")).doubleValue(), acc = ((Number) last.get("test_accuracy")).doubleValue();
        context.metrics().log("val_accuracy", val, Math.max(0, end.epoch()));
        context.metrics().log("test_accuracy", acc, Math.max(0, end.epoch()));
        context.progress().log(String.format(Locale.ROOT, "%s: %d cells, %d parameters: val %.2f%%, test %.2f%%",
                context.stepName(), dag.vertices(), net.parameterCount(), 100 * val, 100 * acc));
    }

    /** Per-channel standardisation with training statistics; validation = first images of a seeded permutation. */
    static void split(CifarImages train, CifarImages test, int validation, long splitSeed, double[][] x, int[][] y) {
        int f = CifarImages.PIXELS, plane = CifarImages.SIDE * CifarImages.SIDE;
        double[] mean = new double[CifarImages.CHANNELS], sd = new double[CifarImages.CHANNELS];
        for (int ch = 0; ch < CifarImages.CHANNELS; ch++) {
            double s = 0, ss = 0;
            for (int i = 0; i < train.count(); i++) {
                for (int p = 0; p < plane; p++) {
                    double v = (train.pixels()[i * f + ch * plane + p] & 0xFF) / 255.0;
                    s += v;
                    ss += v * v;
                }
            }
            double count = (double) train.count() * plane;
            mean[ch] = s / count;
            sd[ch] = Math.sqrt(Math.max(1e-12, ss / count - mean[ch] * mean[ch]));
        }
        int[] order = Seeds.permutation(train.count(), new SplittableRandom(Seeds.derive(splitSeed, "cifar/validation-split")));
        int nTrain = train.count() - validation;
        x[0] = new double[nTrain * f];
        x[1] = new double[validation * f];
        y[0] = new int[nTrain];
        y[1] = new int[validation];
        for (int k = 0; k < train.count(); k++) {
            int src = order[k];
            boolean val = k < validation;
            copy(train, src, val ? x[1] : x[0], val ? k : k - validation, mean, sd);
            (val ? y[1] : y[0])[val ? k : k - validation] = train.labels()[src];
        }
        x[2] = new double[test.count() * f];
        y[2] = test.labels().clone();
        for (int i = 0; i < test.count(); i++) {
            copy(test, i, x[2], i, mean, sd);
        }
    }

    private static void copy(CifarImages images, int src, double[] into, int row, double[] mean, double[] sd) {
        int f = CifarImages.PIXELS, plane = CifarImages.SIDE * CifarImages.SIDE;
        for (int ch = 0; ch < CifarImages.CHANNELS; ch++) {
            for (int p = 0; p < plane; p++) {
                into[row * f + ch * plane + p] = ((images.pixels()[src * f + ch * plane + p] & 0xFF) / 255.0 - mean[ch])
                        / sd[ch];
            }
        }
    }
}
