package org.prunelab.stages.eval;

import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.linalg.Gemm;

/**
 * The convolutional auxiliary classifier (LeNet-like, see {@link ConvolutionalShape}) of protocol
 * §7.5, for when the one-hidden-layer network does not reach the accuracy the sample scores need.
 * Immutable once trained: every {@link #probabilities} call runs on its own buffers, single-threaded
 * GEMM, so predictions are bit-identical run to run on one GEMM backend.
 *
 * <p>Training ({@link #train}): He initialisation N(0, 2/fan_in) from {@code Seeds.stream(seed, 0)},
 * zero biases; Adam (β1 = {@code momentum}, β2 = 0.999, ε = 1e-8) on the batch-mean cross-entropy
 * plus {@code l2}·W on the weights (not the biases), its step size decaying linearly to 5 % over the
 * training ({@link #stepSize}); the epoch order of {@link ClassifierTraining};
 * each visited image shifted by the {@link ShiftAugmentation} of its epoch.
 */
public final class ConvolutionalClassifier implements Classifier {
    private static final int INFERENCE_BATCH = 100;
    static final double FINAL_STEP_FRACTION = 0.05;
    private final ConvolutionalShape shape;
    private final double[][] params;

    private ConvolutionalClassifier(ConvolutionalShape shape, double[][] params) {
        this.shape = shape;
        this.params = params;
    }

    /** A network from saved parameters (order of {@link ConvolutionalShape#parameterLengths()}); adopted. */
    static ConvolutionalClassifier of(ConvolutionalShape shape, double[][] params) {
        int[] lengths = shape.parameterLengths();
        if (params.length != lengths.length) {
            throw new IllegalArgumentException("convolutional classifier needs " + lengths.length + " parameter arrays, got "
                    + params.length);
        }
        for (int p = 0; p < lengths.length; p++) {
            if (params[p].length != lengths[p]) {
                throw new IllegalArgumentException("parameter array " + p + " has " + params[p].length + " values, "
                        + shape + " needs " + lengths[p]);
            }
        }
        return new ConvolutionalClassifier(shape, params);
    }

    /** Parameters in the order of {@link ConvolutionalShape#parameterLengths()}, for saving; not copies. */
    double[][] parameters() {
        return params;
    }

    public ConvolutionalShape shape() {
        return shape;
    }

    /** He-initialised weights, zero biases. */
    static double[][] initialParameters(ConvolutionalShape shape, long seed) {
        int[] lengths = shape.parameterLengths();
        int[] fanIns = shape.fanIns();
        SplittableRandom init = Seeds.stream(seed, 0);
        double[][] params = new double[lengths.length][];
        for (int p = 0; p < lengths.length; p++) {
            params[p] = new double[lengths[p]];
            if (fanIns[p] > 0) {
                double sd = Math.sqrt(2.0 / fanIns[p]);
                for (int j = 0; j < lengths[p]; j++) {
                    params[p][j] = sd * StableMath.gaussian(init);
                }
            }
        }
        return params;
    }

    /**
     * Trains on n images (rows × cols pixels each, row-major) with their labels. {@code t.momentum()}
     * is Adam's β1 and {@code t.learningRate()} its step size; {@code maxShift} is the augmentation's
     * largest shift in pixels (0: none).
     */
    public static ConvolutionalClassifier train(double[] x, int[] labels, int n, ConvolutionalShape shape,
            ClassifierTraining t, int maxShift, Gemm gemm) {
        return train(x, labels, n, shape, t, maxShift, gemm, (epoch, loss) -> { });
    }

    /** Called after each epoch with its number (from 0) and the mean of its batch losses. */
    @FunctionalInterface
    public interface EpochListener {
        void epochDone(int epoch, double meanBatchLoss);
    }

    /** As {@link #train(double[], int[], int, ConvolutionalShape, ClassifierTraining, int, Gemm)}, reporting each epoch. */
    public static ConvolutionalClassifier train(double[] x, int[] labels, int n, ConvolutionalShape shape,
            ClassifierTraining t, int maxShift, Gemm gemm, EpochListener listener) {
        ClassifierTraining.checkData(x, labels, n, shape.inputs());
        ShiftAugmentation shifts = new ShiftAugmentation(shape.rows(), shape.cols(), maxShift);
        double[][] params = initialParameters(shape, t.seed());
        double[][] grads = new double[params.length][];
        double[][] first = new double[params.length][];
        double[][] second = new double[params.length][];
        for (int p = 0; p < params.length; p++) {
            grads[p] = new double[params[p].length];
            first[p] = new double[params[p].length];
            second[p] = new double[params[p].length];
        }
        ConvolutionalPass pass = new ConvolutionalPass(shape, Math.min(n, t.batchSize()), gemm);
        int[] batchLabels = new int[pass.maxBatch()];
        int d = shape.inputs();
        long step = 0;
        long updates = (long) t.epochs() * ((n + t.batchSize() - 1) / t.batchSize());
        for (int epoch = 0; epoch < t.epochs(); epoch++) {
            int[] order = t.order(n, epoch);
            SplittableRandom shiftRng = Seeds.stream(t.seed(), 2, epoch);
            double lossSum = 0.0;
            int batches = 0;
            for (int start = 0; start < n; start += t.batchSize()) {
                int end = Math.min(n, start + t.batchSize());
                for (int q = start; q < end; q++) {
                    int r = order[q];
                    shifts.copyShifted(x, r * d, pass.input(), (q - start) * d, shiftRng);
                    batchLabels[q - start] = labels[r];
                }
                ConvolutionalPass.zero(grads);
                pass.forward(params, end - start);
                lossSum += pass.backward(params, batchLabels, 0, grads);
                batches++;
                Optimizers.AdamStep adam = Optimizers.AdamStep.at(step + 1, stepSize(t.learningRate(), step, updates),
                        t.momentum(), 0.999, 1e-8);
                step++;
                for (int p = 0; p < params.length; p++) {
                    if (t.l2() > 0.0 && p % 2 == 0) { // even arrays are weights, odd ones biases
                        double[] g = grads[p], w = params[p];
                        for (int j = 0; j < g.length; j++) {
                            g[j] += t.l2() * w[j];
                        }
                    }
                    Optimizers.adam(params[p], grads[p], first[p], second[p], null, adam);
                }
            }
            listener.epochDone(epoch, lossSum / batches);
        }
        return new ConvolutionalClassifier(shape, params);
    }

    /**
     * The step size of update {@code step} (from 0) of {@code updates}: decays linearly from
     * {@code lr} to {@value #FINAL_STEP_FRACTION}·lr at the last update, so the last epochs settle
     * instead of hopping around a minimum (the study settings were chosen with this schedule).
     */
    static double stepSize(double lr, long step, long updates) {
        double progress = updates <= 1 ? 0.0 : (double) step / (updates - 1);
        return lr * (1.0 - (1.0 - FINAL_STEP_FRACTION) * progress);
    }

    @Override
    public int inputs() {
        return shape.inputs();
    }

    @Override
    public double[] probabilities(double[] images, int n) {
        int d = shape.inputs();
        if ((long) n * d > images.length) {
            throw new IllegalArgumentException("images has " + images.length + " values, need " + n + "*" + d);
        }
        double[] probs = new double[n * CLASSES];
        ConvolutionalPass pass = new ConvolutionalPass(shape, Math.max(1, Math.min(n, INFERENCE_BATCH)), Gemm.create(1));
        for (int start = 0; start < n; start += pass.maxBatch()) {
            int m = Math.min(pass.maxBatch(), n - start);
            System.arraycopy(images, start * d, pass.input(), 0, m * d);
            pass.forward(params, m);
            System.arraycopy(pass.logits(), 0, probs, start * CLASSES, m * CLASSES);
        }
        for (int r = 0; r < n; r++) {
            StableMath.softmaxInPlace(probs, r * CLASSES, CLASSES);
        }
        return probs;
    }
}
