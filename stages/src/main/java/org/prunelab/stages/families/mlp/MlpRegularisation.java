package org.prunelab.stages.families.mlp;

import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.kernel.LayerKernel;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.linalg.Precision;

/**
 * The regularisation baselines the pruning paper compares against (mlp-pruning protocol §2.5): L2
 * weight decay and dropout on the hidden layers' outputs, kept apart from the pass and the trainer.
 *
 * <ul>
 *   <li>Weight decay λ: PyTorch SGD's {@code weight_decay}, g ← g + λ·w for weights and biases (the
 *       authors pass {@code model.parameters()}), before momentum; pruned weights are 0 and stay so.</li>
 *   <li>Dropout p: {@link DropoutInputKernel} on every layer whose input is a hidden layer's output,
 *       active only inside {@link MlpTrainer#update}; the masks of update (epoch e, batch b) come from
 *       stream (seed, e, b), so a resumed training draws the same ones.</li>
 * </ul>
 */
public final class MlpRegularisation {
    /** No weight decay, no dropout: training exactly as without this class. */
    public static final MlpRegularisation NONE = new MlpRegularisation(0.0, 0.0, 0L);

    private final double weightDecay;
    private final double dropout;
    private final long seed;
    private boolean training;
    private SplittableRandom stream;

    public MlpRegularisation(double weightDecay, double dropout, long seed) {
        if (!(weightDecay >= 0.0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + dropout);
        }
        this.weightDecay = weightDecay;
        this.dropout = dropout;
        this.seed = seed;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public double dropout() {
        return dropout;
    }

    /** A pass over {@code mlp} whose hidden outputs are dropped during training (the plain pass if p = 0). */
    public MlpPass pass(Mlp mlp, String kernelChoice) {
        return pass(mlp, kernelChoice, Precision.FLOAT64);
    }

    /** As {@link #pass(Mlp, String)}, the dense layers' products in {@code precision}. */
    public MlpPass pass(Mlp mlp, String kernelChoice, Precision precision) {
        if (dropout == 0.0) {
            return MlpPass.of(mlp, kernelChoice, precision);
        }
        LayerKernel[] k = new LayerKernel[mlp.layers()];
        for (int l = 0; l < k.length; l++) {
            LayerKernel plain = PrecisionKernels.layer(mlp.mask[l], mlp.in(l), mlp.out(l), kernelChoice, precision);
            k[l] = l == 0 ? plain : new DropoutInputKernel(plain, this);
        }
        return new MlpPass(mlp, k);
    }

    /** Sets the dropout stream for the update at (epoch, batch); before every update of a training. */
    public void at(int epoch, int batch) {
        if (dropout > 0.0) { // NONE is shared: it keeps no state
            stream = Seeds.stream(seed, epoch, batch);
        }
    }

    boolean training() {
        return training;
    }

    SplittableRandom dropoutStream() {
        if (stream == null) {
            throw new IllegalStateException("dropout needs the update's position (MlpRegularisation.at) before training");
        }
        return stream;
    }

    /** Runs one gradient computation in training mode (dropout on), then returns to evaluation mode. */
    double trainingPass(java.util.function.DoubleSupplier gradient) {
        if (dropout == 0.0) {
            return gradient.getAsDouble();
        }
        training = true;
        try {
            return gradient.getAsDouble();
        } finally {
            training = false;
        }
    }

    /** g ← g + λ·w on weights (masked: exactly 0 stays 0) and biases. */
    void addDecay(Mlp mlp, double[][] gw, double[][] gb) {
        if (weightDecay == 0.0) {
            return;
        }
        for (int l = 0; l < mlp.layers(); l++) {
            for (int j = 0; j < gw[l].length; j++) {
                gw[l][j] += weightDecay * mlp.w[l][j];
            }
            for (int o = 0; o < gb[l].length; o++) {
                gb[l][o] += weightDecay * mlp.b[l][o];
            }
        }
    }
}
