package org.prunelab.stages.families.graphffn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.search.GraphNetworkTraining;

/**
 * One training of a {@link GraphFfn} on the search's shared loop ({@link GraphNetworkTraining}):
 * every block's masked weights and every layer's bias are Adam parameters; validation and test
 * accuracy and cross-entropy after every epoch.
 */
final class GraphFfnTraining extends GraphNetworkTraining {
    private final GraphFfnData data;
    private final GraphFfnPass pass;
    private final int evalBatch;
    private final List<double[]> blockGrads = new ArrayList<>(), biasGrads = new ArrayList<>();

    GraphFfnTraining(GraphFfn net, GraphFfnData data, String kernel, int batch, int evalBatch, double lr, long seed) {
        super(data.trainX(), data.trainY(), data.features(), batch, lr, seed);
        this.data = data;
        this.pass = new GraphFfnPass(net, kernel);
        this.evalBatch = evalBatch;
        for (GraphFfn.Block b : net.blocks()) {
            double[] g = new double[b.w().length];
            blockGrads.add(g);
            addParameter(b.name(), b.w(), g, b.mask(), b.out(), b.in());
        }
        for (int t = 0; t <= net.layers(); t++) {
            double[] bias = net.bias(t);
            double[] g = new double[bias.length];
            biasGrads.add(g);
            addParameter(t == net.layers() ? "b_out" : "b_l" + t, bias, g, null, bias.length);
        }
    }

    @Override
    protected double lossAndGradient(double[] x, int[] y, int n) {
        return pass.lossAndGradient(x, y, n, blockGrads, biasGrads);
    }

    @Override
    protected void addScores(Map<String, Object> row) {
        double[] val = pass.score(data.valX(), data.valY(), data.valY().length, evalBatch);
        double[] test = pass.score(data.testX(), data.testY(), data.testY().length, evalBatch);
        row.put("val_accuracy", val[0]);
        row.put("val_loss", val[1]);
        row.put("test_accuracy", test[0]);
        row.put("test_loss", test[1]);
    }
}
