package org.prunelab.stages.families.graphffn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.core.EpochLoop;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.core.TrainingState;

/**
 * One training of a {@link GraphFfn} on the core {@link EpochLoop}: Adam (PyTorch semantics, masked
 * block weights kept at exactly 0 with their moments), mini-batches in the order of stream
 * (seed, epoch), validation and test accuracy after every epoch. Everything an exact resume needs —
 * parameters, both moments, Adam's step count and the epoch's running loss — is in {@link #state()}
 * and {@link #extras()}.
 */
final class GraphFfnTraining implements EpochLoop.Steps {
    private final GraphFfn net;
    private final GraphFfnData data;
    private final GraphFfnPass pass;
    private final int batch, evalBatch;
    private final double lr;
    private final long seed;
    private final List<double[]> params = new ArrayList<>(), grads = new ArrayList<>(), m1 = new ArrayList<>(),
            m2 = new ArrayList<>();
    private final List<byte[]> masks = new ArrayList<>();
    private final List<double[]> blockGrads = new ArrayList<>(), biasGrads = new ArrayList<>();
    private final TrainingState state = new TrainingState();
    private long adamStep;
    private double lossSum;
    private int[] order = new int[0];
    private int orderEpoch = -1;
    private Runnable onUpdate = () -> { };

    GraphFfnTraining(GraphFfn net, GraphFfnData data, String kernel, int batch, int evalBatch, double lr, long seed) {
        this.net = net;
        this.data = data;
        this.pass = new GraphFfnPass(net, kernel);
        this.batch = batch;
        this.evalBatch = evalBatch;
        this.lr = lr;
        this.seed = seed;
        for (GraphFfn.Block b : net.blocks()) {
            double[] g = new double[b.w().length];
            blockGrads.add(g);
            register(b.name(), b.w(), g, b.mask(), b.out(), b.in());
        }
        for (int t = 0; t <= net.layers(); t++) {
            double[] bias = net.bias(t);
            double[] g = new double[bias.length];
            biasGrads.add(g);
            register(t == net.layers() ? "b_out" : "b_l" + t, bias, g, null, bias.length);
        }
    }

    private void register(String name, double[] p, double[] g, byte[] mask, int... shape) {
        double[] a = new double[p.length], b = new double[p.length];
        params.add(p);
        grads.add(g);
        masks.add(mask);
        m1.add(a);
        m2.add(b);
        state.add(name, p, shape).add(name + ".adam_m", a, shape).add(name + ".adam_v", b, shape);
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
        return (data.trainCount() + batch - 1) / batch;
    }

    @Override
    public void update(int epoch, int b) {
        if (orderEpoch != epoch) {
            order = Seeds.permutation(data.trainCount(), Seeds.stream(seed, epoch));
            orderEpoch = epoch;
        }
        int start = b * batch, n = Math.min(batch, data.trainCount() - start);
        int f = data.features();
        double[] x = new double[n * f];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            int src = order[start + r];
            System.arraycopy(data.trainX(), src * f, x, r * f, f);
            y[r] = data.trainY()[src];
        }
        lossSum += pass.lossAndGradient(x, y, n, blockGrads, biasGrads) * n;
        adamStep++;
        Optimizers.AdamStep step = Optimizers.AdamStep.at(adamStep, lr, 0.9, 0.999, 1e-8);
        for (int i = 0; i < params.size(); i++) {
            Optimizers.adam(params.get(i), grads.get(i), m1.get(i), m2.get(i), masks.get(i), step);
        }
        onUpdate.run();
    }

    @Override
    public Map<String, Object> evaluate(int epoch) {
        double[] val = pass.score(data.valX(), data.valY(), data.valY().length, evalBatch);
        double[] test = pass.score(data.testX(), data.testY(), data.testY().length, evalBatch);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("train_loss", lossSum / data.trainCount());
        row.put("val_accuracy", val[0]);
        row.put("val_loss", val[1]);
        row.put("test_accuracy", test[0]);
        row.put("test_loss", test[1]);
        lossSum = 0;
        return row;
    }
}
