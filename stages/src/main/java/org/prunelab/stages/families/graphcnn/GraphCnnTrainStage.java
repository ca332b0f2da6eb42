package org.prunelab.stages.families.graphcnn;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.ValidationSplit;
import org.prunelab.stages.data.ValidationSplit.Part;
import org.prunelab.stages.data.cifar.Cifar10DataStage;
import org.prunelab.stages.data.cifar.CifarImages;
import org.prunelab.stages.linalg.Gemm;
import org.prunelab.stages.search.BudgetedDag;
import org.prunelab.stages.search.GraphNetworkTrainStage;
import org.prunelab.stages.search.GraphTrainingKeys;

/**
 * train (graph-cnn): wires the graph into a {@link GraphCnn} (each vertex a ReLU → 3×3 conv → BN cell)
 * and trains it on CIFAR-10 (pixels/255 standardised per channel with the training split's
 * statistics; a validation split fixed by {@code cifar.split_seed}). No data augmentation.
 */
public final class GraphCnnTrainStage extends GraphNetworkTrainStage {
    static final ConfigKey<Integer> CHANNELS = ConfigKey.integer("model.channels", 16, 1, 4_096, "channels of every cell");
    static final ConfigKey<Integer> HEAD = ConfigKey.integer("model.head_channels", 64, 1, 16_384,
            "output channels of the 1x1 convolution before pooling");
    static final ConfigKey<Integer> STEM_STRIDE = ConfigKey.integer("model.stem_stride", 2, 1, 8,
            "stride of the stem convolution (2: cells work at 16x16)");
    static final GraphTrainingKeys TRAINING = GraphTrainingKeys.of("cifar", 10, 500, 5000);

    public GraphCnnTrainStage(String dataStep, String graphStep) {
        super(dataStep, graphStep, TRAINING);
    }

    @Override
    public String kind() {
        return "graph-cnn.train";
    }

    @Override
    protected List<ConfigKey<?>> modelKeys() {
        return List.of(CHANNELS, HEAD, STEM_STRIDE);
    }

    @Override
    protected WiredNetwork wire(StageContext context, Path dataDir, BudgetedDag dag, SplittableRandom initRng,
                                long orderSeed) throws Exception {
        StageConfig c = context.config();
        Cifar10DataStage.Ref ref = Cifar10DataStage.Ref.read(dataDir);
        CifarImages train = ref.train(), test = ref.test();
        ValidationSplit split = ValidationSplit.of(train.count(), c.get(TRAINING.validation()),
                c.get(TRAINING.splitSeed()), "cifar/validation-split", TRAINING.validation().name());
        double[][] x = new double[3][];
        int[][] y = new int[3][];
        split(train, test, split, x, y);
        GraphCnn net = new GraphCnn(dag, CifarImages.CHANNELS, CifarImages.SIDE, c.get(CHANNELS), c.get(HEAD),
                CifarImages.CLASSES, c.get(STEM_STRIDE), Gemm.create(1));
        net.initialise(initRng);
        context.metrics().log("parameters", net.parameterCount());
        GraphCnnTraining training = new GraphCnnTraining(net, x, y, c.get(TRAINING.batch()), c.get(TRAINING.evalBatch()),
                c.get(TRAINING.lr()), orderSeed);
        return new WiredNetwork(training, "graph-cnn, " + dag.vertices() + " cells",
                dag.vertices() + " cells, " + net.parameterCount() + " parameters");
    }

    /** Per-channel standardisation with training statistics, each image as it is copied into its part of the split. */
    static void split(CifarImages train, CifarImages test, ValidationSplit split, double[][] x, int[][] y) {
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
        int[][] rows = {split.rows(Part.TRAINING), split.rows(Part.VALIDATION)}; // x[0], x[1]
        for (int part = 0; part < 2; part++) {
            x[part] = new double[rows[part].length * f];
            y[part] = new int[rows[part].length];
            for (int k = 0; k < rows[part].length; k++) {
                copy(train, rows[part][k], x[part], k, mean, sd);
                y[part][k] = train.labels()[rows[part][k]];
            }
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
