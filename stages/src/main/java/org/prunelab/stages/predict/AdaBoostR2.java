package org.prunelab.stages.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tribuo.Model;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * AdaBoost.R2 (Drucker 1997) with the defaults of scikit-learn's {@code AdaBoostRegressor}, the
 * authors' third regressor: 50 rounds of depth-3 CART trees (Tribuo), each fitted on a weighted
 * bootstrap of the training rows, linear loss, learning rate 1; boosting stops early when a tree fits
 * perfectly or its average loss reaches ½; the prediction is the weighted median of the trees.
 * Tribuo has no boosted regressor, so the boosting loop is written here around its trees.
 */
public final class AdaBoostR2 implements Regressor {
    private final int rounds;
    private final int depth;
    private final long seed;
    private final List<Model<org.tribuo.regression.Regressor>> trees = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();

    public AdaBoostR2(int rounds, int depth, long seed) {
        if (rounds < 1 || depth < 1) {
            throw new IllegalArgumentException("AdaBoost needs rounds >= 1 and depth >= 1, got " + rounds + ", " + depth);
        }
        this.rounds = rounds;
        this.depth = depth;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "adaboost";
    }

    @Override
    public Regressor fresh(long newSeed) {
        return new AdaBoostR2(rounds, depth, newSeed);
    }

    @Override
    public void fit(double[][] x, double[] y) {
        trees.clear();
        weights.clear();
        int n = x.length;
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            int[] sample = weightedBootstrap(w, rng);
            double[][] xs = new double[n][];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = x[sample[i]];
                ys[i] = y[sample[i]];
            }
            CARTRegressionTrainer trainer = new CARTRegressionTrainer(depth, RandomForest.MIN_LEAF_WEIGHT, 0.0f, 1.0f, false,
                    new MeanSquaredError(), rng.nextLong());
            Model<org.tribuo.regression.Regressor> tree = trainer.train(TribuoTables.dataset(xs, ys));
            double[] error = new double[n];
            double maxError = 0;
            for (int i = 0; i < n; i++) {
                error[i] = Math.abs(predictOne(tree, x[i]) - y[i]);
                maxError = Math.max(maxError, error[i]);
            }
            double averageLoss = 0;
            for (int i = 0; i < n; i++) {
                averageLoss += w[i] * (maxError > 0 ? error[i] / maxError : 0.0);
            }
            if (averageLoss <= 0) {
                trees.add(tree);       // a perfect fit: it alone decides
                weights.add(1.0);
                break;
            }
            if (averageLoss >= 0.5) {
                if (trees.isEmpty()) {
                    trees.add(tree);
                    weights.add(1.0);
                }
                break;
            }
            double beta = averageLoss / (1 - averageLoss);
            trees.add(tree);
            weights.add(Math.log(1 / beta));
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] *= Math.pow(beta, 1 - error[i] / maxError);
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
        }
    }

    private static int[] weightedBootstrap(double[] w, SplittableRandom rng) {
        double[] cdf = new double[w.length];
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            cdf[i] = acc;
        }
        int[] sample = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            double u = rng.nextDouble() * acc;
            int idx = Arrays.binarySearch(cdf, u);
            idx = idx >= 0 ? idx : -idx - 1;
            sample[i] = Math.min(idx, w.length - 1);
        }
        return sample;
    }

    private static double predictOne(Model<org.tribuo.regression.Regressor> tree, double[] row) {
        return tree.predict(TribuoTables.example(row)).getOutput().getValues()[0];
    }

    @Override
    public double[] predict(double[][] x) {
        if (trees.isEmpty()) {
            throw new IllegalStateException("predict before fit");
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] out = new double[x.length];
        double[] p = new double[trees.size()];
        Integer[] order = new Integer[trees.size()];
        for (int r = 0; r < x.length; r++) {
            for (int t = 0; t < p.length; t++) {
                p[t] = predictOne(trees.get(t), x[r]);
                order[t] = t;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
            // Weighted median: the first prediction at which the cumulative weight reaches half.
            double cum = 0;
            out[r] = p[order[order.length - 1]];
            for (Integer t : order) {
                cum += weights.get(t);
                if (cum >= 0.5 * total) {
                    out[r] = p[t];
                    break;
                }
            }
        }
        return out;
    }
}
