package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.TrainingState;

/**
 * The training loop every graph-wired family of the search shares, on the core {@link EpochLoop}:
 * mini-batches of the training split in the order of stream (seed, epoch), one Adam update
 * (PyTorch semantics; masked weights and their moments kept at exactly 0) of every registered
 * parameter per batch, and after every epoch a row with the mean training loss and the family's
 * validation and test scores. A family supplies the model: its parameters ({@link #addParameter}),
 * any other state ({@link #addBuffer}), the batch loss with its gradient and the scores.
 *
 * <p>Everything an exact resume needs — parameters, both moments, buffers, Adam's step count and
 * the epoch's running loss — is in {@link #state()} and {@link #extras()}.
 */
public abstract class GraphNetworkTraining implements EpochLoop.Steps {
    private final double[] trainX;
    private final int[] trainY;
    private final int features, batch;
    private final double lr;
    private final long seed;
    private final List<double[]> params = new ArrayList<>(), grads = new ArrayList<>(), m1 = new ArrayList<>(),
            m2 = new ArrayList<>();
    private final List<byte[]> masks = new ArrayList<>();
    private final TrainingState state = new TrainingState();
    private long adamStep;
    private double lossSum;
    private int[] order = new int[0];
    private int orderEpoch = -1;
    private Runnable onUpdate = () -> { };

    /**
     * @param trainX   training rows, {@code features} values each (row-major)
     * @param seed     seed of the batch order (stream (seed, epoch) per epoch)
     */
    protected GraphNetworkTraining(double[] trainX, int[] trainY, int features, int batch, double lr, long seed) {
        this.trainX = trainX;
        this.trainY = trainY;
        this.features = features;
        this.batch = batch;
        this.lr = lr;
        this.seed = seed;
    }

    /**
     * Registers a trained parameter: Adam updates {@code value} from {@code grad} (which
     * {@link #lossAndGradient} fills), keeping it 0 where {@code mask} (may be null) is 0; the
     * checkpoint holds it as {@code name}, {@code name.adam_m} and {@code name.adam_v}.
     */
    protected final void addParameter(String name, double[] value, double[] grad, byte[] mask, int... shape) {
        double[] a = new double[value.length], b = new double[value.length];
        params.add(value);
        grads.add(grad);
        masks.add(mask);
        m1.add(a);
        m2.add(b);
        state.add(name, value, shape).add(name + ".adam_m", a, shape).add(name + ".adam_v", b, shape);
    }

    /** Registers state that is checkpointed but not trained (e.g. batch-norm running statistics). */
    protected final void addBuffer(String name, double[] value) {
        state.add(name, value, value.length);
    }

    /** Mean loss of the n rows of x with labels y; overwrites every registered gradient with its gradient. */
    protected abstract double lossAndGradient(double[] x, int[] y, int n);

    /** Adds the epoch's evaluation to the metrics row (at least {@code val_accuracy} and {@code test_accuracy}). */
    protected abstract void addScores(Map<String, Object> row);

    public final TrainingState state() {
        return state;
    }

    public final Map<String, Object> extras() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("adam_step", adamStep);
        s.put("epoch_loss_sum", lossSum);
        return s;
    }

    public final void restoreExtras(Map<String, Object> s) {
        adamStep = ((Number) s.get("adam_step")).longValue();
        lossSum = ((Number) s.get("epoch_loss_sum")).doubleValue();
    }

    /** Called after every update (progress reporting). */
    public final void onUpdate(Runnable r) {
        onUpdate = r;
    }

    @Override
    public final int batches(int epoch) {
        return (trainY.length + batch - 1) / batch;
    }

    @Override
    public final void update(int epoch, int b) {
        if (orderEpoch != epoch) {
            order = Seeds.permutation(trainY.length, Seeds.stream(seed, epoch));
            orderEpoch = epoch;
        }
        int f = features;
        int start = b * batch, n = Math.min(batch, trainY.length - start);
        double[] x = new double[n * f];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            int src = order[start + r];
            System.arraycopy(trainX, src * f, x, r * f, f);
            y[r] = trainY[src];
        }
        lossSum += lossAndGradient(x, y, n) * n;
        adamStep++;
        Optimizers.AdamStep step = Optimizers.AdamStep.at(adamStep, lr, 0.9, 0.999, 1e-8);
        for (int i = 0; i < params.size(); i++) {
            Optimizers.adam(params.get(i), grads.get(i), m1.get(i), m2.get(i), masks.get(i), step);
        }
        onUpdate.run();
    }

    @Override
    public final Map<String, Object> evaluate(int epoch) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", lossSum / trainY.length);
        addScores(row);
        lossSum = 0;
        return row;
    }
}
