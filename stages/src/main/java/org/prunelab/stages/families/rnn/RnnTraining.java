package org.prunelab.stages.families.rnn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.TrainingState;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.recurrent.Parameter;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/**
 * The recurrent family's side of the shared epoch loop: one Adam update per batch (PyTorch defaults
 * β = (0.9, 0.999), ε = 1e-8) after clipping the gradient norm over all parameters, and the test
 * accuracy after every epoch.
 */
final class RnnTraining implements EpochLoop.Steps {
    private static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

    private final RecurrentClassifier model;
    private final List<Parameter> params;
    private final double[][] m;
    private final double[][] s;
    private final ReberSet train;
    private final ReberSet test;
    private final int batchSize;
    private final double lr;
    private final double clip;
    private final int evalBatch;
    private final long seed;
    private final double[] packedValues;
    private final double[] packedM;
    private final double[] packedS;
    private final double[] lossSum = new double[1];   // running loss of the current epoch (checkpointed)
    private final double[] lossCount = new double[1];
    private long updates;
    private int[] order = new int[0];
    private int orderEpoch = -1;
    private LongConsumer onUpdate = u -> { };

    RnnTraining(RecurrentClassifier model, ReberSet train, ReberSet test, int batchSize, double lr, double clip,
                int evalBatch, long seed) {
        this.model = model;
        this.params = model.parameters();
        this.m = new double[params.size()][];
        this.s = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new double[params.get(i).size()];
            s[i] = new double[params.get(i).size()];
        }
        int total = 0;
        for (Parameter p : params) {
            total += p.size();
        }
        this.packedValues = new double[total];
        this.packedM = new double[total];
        this.packedS = new double[total];
        this.train = train;
        this.test = test;
        this.batchSize = batchSize;
        this.lr = lr;
        this.clip = clip;
        this.evalBatch = evalBatch;
        this.seed = seed;
    }

    /**
     * Everything a checkpoint must hold besides the position: all parameters and both Adam moments,
     * each packed into one flat tensor (in {@link RecurrentClassifier#parameters()} order), so a
     * checkpoint has five files however many tensors a graph-wired model has. {@link #extras()} packs
     * them just before each checkpoint; {@link #restoreExtras} unpacks after a restore.
     */
    TrainingState state() {
        TrainingState state = new TrainingState();
        state.add("parameters", packedValues, packedValues.length);
        state.add("adam.m", packedM, packedM.length);
        state.add("adam.s", packedS, packedS.length);
        state.add("epoch_loss", lossSum, 1);
        state.add("epoch_batches", lossCount, 1);
        return state;
    }

    /** Called when a checkpoint is taken: packs the live tensors, returns the scalar state. */
    Map<String, Object> extras() {
        int off = 0;
        for (int i = 0; i < params.size(); i++) {
            int n = params.get(i).size();
            System.arraycopy(params.get(i).value(), 0, packedValues, off, n);
            System.arraycopy(m[i], 0, packedM, off, n);
            System.arraycopy(s[i], 0, packedS, off, n);
            off += n;
        }
        return Map.of("adam_updates", updates);
    }

    /** After {@code TrainingState.restore}: unpacks the tensors and reads the scalar state. */
    void restoreExtras(Map<String, Object> state) {
        Object u = state.get("adam_updates");
        if (!(u instanceof Number n)) {
            throw new IllegalStateException("checkpoint has no adam_updates");
        }
        updates = n.longValue();
        int off = 0;
        for (int i = 0; i < params.size(); i++) {
            int len = params.get(i).size();
            System.arraycopy(packedValues, off, params.get(i).value(), 0, len);
            System.arraycopy(packedM, off, m[i], 0, len);
            System.arraycopy(packedS, off, s[i], 0, len);
            off += len;
        }
    }

    void onUpdate(LongConsumer listener) {
        onUpdate = listener;
    }

    @Override
    public int batches(int epoch) {
        return (train.size() + batchSize - 1) / batchSize;   // the last batch may be smaller (drop_last=False)
    }

    @Override
    public void update(int epoch, int batch) {
        if (orderEpoch != epoch) {
            order = Seeds.permutation(train.size(), Seeds.stream(seed, epoch));
            orderEpoch = epoch;
        }
        int from = batch * batchSize, n = Math.min(batchSize, train.size() - from);
        String[] xs = new String[n];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = train.string(order[from + i]);
            ys[i] = train.isValid(order[from + i]) ? 1 : 0;
        }
        model.zeroGradients();
        double loss = model.lossAndGradients(xs, ys).loss();
        if (batch == 0) {
            lossSum[0] = 0;
            lossCount[0] = 0;
        }
        lossSum[0] += loss;
        lossCount[0] += 1;
        double scale = clipScale();
        updates++;
        Optimizers.AdamStep step = Optimizers.AdamStep.at(updates, lr, BETA1, BETA2, EPSILON);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            double[] g = p.grad();
            if (scale != 1.0) {
                for (int k = 0; k < g.length; k++) {
                    g[k] *= scale;
                }
            }
            Optimizers.adam(p.value(), g, m[i], s[i], p.mask(), step);
        }
        onUpdate.accept(1);
    }

    /** PyTorch's clip_grad_norm_: scale all gradients by max/(‖g‖ + 1e-6) when that is below 1. */
    private double clipScale() {
        if (clip <= 0) {
            return 1.0;
        }
        double sq = 0;
        for (Parameter p : params) {
            for (double g : p.grad()) {
                sq += g * g;
            }
        }
        double coef = clip / (Math.sqrt(sq) + 1e-6);
        return coef < 1.0 ? coef : 1.0;
    }

    @Override
    public Map<String, Object> evaluate(int epoch) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", lossCount[0] == 0 ? Double.NaN : lossSum[0] / lossCount[0]);
        row.put("test_accuracy", testAccuracy());
        return row;
    }

    double testAccuracy() {
        return RnnScores.accuracy(model, test, evalBatch);
    }
}
