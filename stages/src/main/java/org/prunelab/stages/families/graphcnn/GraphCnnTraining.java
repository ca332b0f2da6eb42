package org.prunelab.stages.families.graphcnn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.TrainingState;

/**
 * One training of a {@link GraphCnn} on the core {@link EpochLoop}: Adam on every parameter,
 * mini-batches in the order of stream (seed, epoch), validation and test accuracy (batch norm in
 * evaluation mode) after every epoch. Parameters, batch-norm running statistics, Adam's moments and
 * step count and the epoch's running loss are the resume state.
 */
final class GraphCnnTraining implements EpochLoop.Steps {
    private final GraphCnn net;
    private final double[] trainX, valX, testX;
    private final int[] trainY, valY, testY;
    private final int batch, evalBatch;
    private final double lr;
    private final long seed;
    private final List<double[]> params, grads = new ArrayList<>(), m1 = new ArrayList<>(), m2 = new ArrayList<>();
    private final TrainingState state = new TrainingState();
    private long adamStep;
    private double lossSum;
    private int[] order = new int[0];
    private int orderEpoch = -1;
    private Runnable onUpdate = () -> { };

    GraphCnnTraining(GraphCnn net, double[][] x, int[][] y, int batch, int evalBatch, double lr, long seed) {
        this.net = net;
        this.trainX = x[0];
        this.valX = x[1];
        this.testX = x[2];
        this.trainY = y[0];
        this.valY = y[1];
        this.testY = y[2];
        this.batch = batch;
        this.evalBatch = evalBatch;
        this.lr = lr;
        this.seed = seed;
        this.params = net.parameters();
        List<String> names = net.parameterNames();
        for (int i = 0; i < params.size(); i++) {
            int len = params.get(i).length;
            grads.add(new double[len]);
            m1.add(new double[len]);
            m2.add(new double[len]);
            state.add(names.get(i), params.get(i), len).add(names.get(i) + ".adam_m", m1.get(i), len)
                    .add(names.get(i) + ".adam_v", m2.get(i), len);
        }
        List<double[]> buffers = net.buffers();
        for (int i = 0; i < buffers.size(); i++) {
            state.add("bn_running." + i, buffers.get(i), buffers.get(i).length);
        }
    }

    TrainingState state() {
        return state;
    }

    Map<String, Object> extras() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("adam_step", adamStep);
        s.put("epoch_loss_sum", lossSum);
        return s;
    }

    void restoreExtras(Map<String, Object> s) {
        adamStep = ((Number) s.get("adam_step")).longValue();
        lossSum = ((Number) s.get("epoch_loss_sum")).doubleValue();
    }

    void onUpdate(Runnable r) {
        onUpdate = r;
    }

    @Override
    public int batches(int epoch) {
        return (trainY.length + batch - 1) / batch;
    }

    @Override
    public void update(int epoch, int b) {
        if (orderEpoch != epoch) {
            order = Seeds.permutation(trainY.length, Seeds.stream(seed, epoch));
            orderEpoch = epoch;
        }
        int f = net.inputFeatures();
        int start = b * batch, n = Math.min(batch, trainY.length - start);
        double[] x = new double[n * f];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(trainX, order[start + r] * f, x, r * f, f);
            y[r] = trainY[order[start + r]];
        }
        lossSum += net.lossAndGradient(x, y, n, grads) * n;
        adamStep++;
        Optimizers.AdamStep step = Optimizers.AdamStep.at(adamStep, lr, 0.9, 0.999, 1e-8);
        for (int i = 0; i < params.size(); i++) {
            Optimizers.adam(params.get(i), grads.get(i), m1.get(i), m2.get(i), null, step);
        }
        onUpdate.run();
    }

    @Override
    public Map<String, Object> evaluate(int epoch) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", lossSum / trainY.length);
        row.put("val_accuracy", accuracy(valX, valY));
        row.put("test_accuracy", accuracy(testX, testY));
        lossSum = 0;
        return row;
    }

    private double accuracy(double[] x, int[] y) {
        if (y.length == 0) {
            return Double.NaN;
        }
        int f = net.inputFeatures(), classes = net.classes();
        long correct = 0;
        double[] logits = new double[evalBatch * classes];
        for (int start = 0; start < y.length; start += evalBatch) {
            int n = Math.min(evalBatch, y.length - start);
            net.logits(java.util.Arrays.copyOfRange(x, start * f, (start + n) * f), n, false, logits);
            for (int r = 0; r < n; r++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (logits[r * classes + k] > logits[r * classes + best]) {
                        best = k;
                    }
                }
                correct += best == y[start + r] ? 1 : 0;
            }
        }
        return (double) correct / y.length;
    }
}
