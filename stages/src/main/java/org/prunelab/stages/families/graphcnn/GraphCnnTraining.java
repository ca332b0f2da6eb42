package org.prunelab.stages.families.graphcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.search.GraphNetworkTraining;

/**
 * One training of a {@link GraphCnn} on the search's shared loop ({@link GraphNetworkTraining}): every
 * parameter is an Adam parameter (no masks), the batch-norm running statistics are checkpointed
 * buffers; validation and test accuracy (batch norm in evaluation mode) after every epoch.
 */
final class GraphCnnTraining extends GraphNetworkTraining {
    private final GraphCnn net;
    private final double[] valX, testX;
    private final int[] valY, testY;
    private final int evalBatch;
    private final List<double[]> grads = new ArrayList<>();

    /** x and y: training, validation and test split, in that order. */
    GraphCnnTraining(GraphCnn net, double[][] x, int[][] y, int batch, int evalBatch, double lr, long seed) {
        super(x[0], y[0], net.inputFeatures(), batch, lr, seed);
        this.net = net;
        this.valX = x[1];
        this.testX = x[2];
        this.valY = y[1];
        this.testY = y[2];
        this.evalBatch = evalBatch;
        List<double[]> params = net.parameters();
        List<String> names = net.parameterNames();
        for (int i = 0; i < params.size(); i++) {
            double[] g = new double[params.get(i).length];
            grads.add(g);
            addParameter(names.get(i), params.get(i), g, null, g.length);
        }
        List<double[]> buffers = net.buffers();
        for (int i = 0; i < buffers.size(); i++) {
            addBuffer("bn_running." + i, buffers.get(i));
        }
    }

    @Override
    protected double lossAndGradient(double[] x, int[] y, int n) {
        return net.lossAndGradient(x, y, n, grads);
    }

    @Override
    protected void addScores(Map<String, Object> row) {
        row.put("val_accuracy", accuracy(valX, valY));
        row.put("test_accuracy", accuracy(testX, testY));
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
            net.logits(Arrays.copyOfRange(x, start * f, (start + n) * f), n, false, logits);
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
