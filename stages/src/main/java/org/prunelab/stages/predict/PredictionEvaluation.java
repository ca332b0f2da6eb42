package org.prunelab.stages.predict;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.prunelab.stages.Seeds;

/**
 * How well a regressor predicts a target from features: R² on a seeded hold-out split (the authors'
 * protocol: 10 % test) and, because a 20-row hold-out is optimistic, repeated k-fold
 * cross-validation with the mean R² and a 95 % t-interval over repetitions. Features are min-max
 * scaled on the training rows of each split. Also Pearson correlations and permutation importances.
 */
public final class PredictionEvaluation {
    private PredictionEvaluation() {
    }

    /** Mean R² over repetitions with its 95 % interval, and every repetition's value. */
    public record CrossValidated(double mean, double low, double high, double[] perRepetition) {
    }

    /** Coefficient of determination 1 − SS_res / SS_tot (can be negative). */
    public static double r2(double[] truth, double[] predicted) {
        double mean = 0;
        for (double t : truth) {
            mean += t;
        }
        mean /= truth.length;
        double res = 0, tot = 0;
        for (int i = 0; i < truth.length; i++) {
            res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            tot += (truth[i] - mean) * (truth[i] - mean);
        }
        return tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot;
    }

    /** R² on a hold-out of {@code testShare} of the rows, chosen by a seeded shuffle. */
    public static double holdOut(Regressor model, double[][] x, double[] y, double testShare, long seed) {
        int n = x.length;
        int test = (int) Math.round(n * testShare);
        if (test < 2 || test > n - 2) {
            throw new IllegalArgumentException("a hold-out of " + test + " of " + n + " rows is too small or too large");
        }
        int[] order = Seeds.permutation(n, Seeds.stream(seed, 0));
        return fitAndScore(model.fresh(seed), x, y, slice(order, test, n), slice(order, 0, test));
    }

    /** Repeated k-fold cross-validation: R² of the pooled out-of-fold predictions, per repetition. */
    public static CrossValidated crossValidate(Regressor model, double[][] x, double[] y, int folds, int repetitions,
                                               long seed) {
        double[] perRep = new double[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            perRep[rep] = r2(y, outOfFoldPredictions(model, x, y, folds, seed, rep));
        }
        double mean = 0;
        for (double v : perRep) {
            mean += v;
        }
        mean /= repetitions;
        double half = 0;
        if (repetitions > 1) {
            double ss = 0;
            for (double v : perRep) {
                ss += (v - mean) * (v - mean);
            }
            double se = Math.sqrt(ss / (repetitions - 1) / repetitions);
            half = new TDistribution(repetitions - 1).inverseCumulativeProbability(0.975) * se;
        }
        return new CrossValidated(mean, mean - half, mean + half, perRep);
    }

    /**
     * Every row's prediction by a model fitted (on min-max-scaled features) without that row's fold:
     * repetition {@code rep} of the k-fold splits drawn from {@code seed}.
     */
    public static double[] outOfFoldPredictions(Regressor model, double[][] x, double[] y, int folds, long seed,
                                                int rep) {
        int n = x.length;
        if (folds < 2 || folds > n) {
            throw new IllegalArgumentException("need 2 <= folds <= rows, got folds=" + folds + " rows=" + n);
        }
        int[] order = Seeds.permutation(n, Seeds.stream(seed, rep + 1));
        double[] predicted = new double[n];
        for (int f = 0; f < folds; f++) {
            int from = f * n / folds, to = (f + 1) * n / folds;
            int[] test = slice(order, from, to);
            int[] train = new int[n - test.length];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (i < from || i >= to) {
                    train[k++] = order[i];
                }
            }
            double[] p = fitAndPredict(model.fresh(Seeds.derive(seed, rep, f)), x, y, train, test);
            for (int i = 0; i < test.length; i++) {
                predicted[test[i]] = p[i];
            }
        }
        return predicted;
    }

    /**
     * Permutation importance on the training rows themselves: the drop in R² when one feature's column
     * is shuffled, averaged over {@code shuffles}; the model is fitted once on scaled features.
     */
    public static double[] permutationImportance(Regressor model, double[][] x, double[] y, int shuffles, long seed) {
        MinMaxScaler scaler = MinMaxScaler.fit(x);
        double[][] xs = scaler.transform(x);
        Regressor fitted = model.fresh(seed);
        fitted.fit(xs, y);
        double base = r2(y, fitted.predict(xs));
        int p = x[0].length;
        double[] importance = new double[p];
        for (int j = 0; j < p; j++) {
            double drop = 0;
            for (int s = 0; s < shuffles; s++) {
                int[] perm = Seeds.permutation(x.length, Seeds.stream(seed, j, s));
                double[][] shuffled = new double[x.length][];
                for (int i = 0; i < x.length; i++) {
                    shuffled[i] = xs[i].clone();
                    shuffled[i][j] = xs[perm[i]][j];
                }
                drop += base - r2(y, fitted.predict(shuffled));
            }
            importance[j] = drop / shuffles;
        }
        return importance;
    }

    /** Pearson correlation of two equally long series (NaN if either is constant). */
    public static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Column {@code j} of a row-major table. */
    public static double[] column(double[][] x, int j) {
        double[] c = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i][j];
        }
        return c;
    }

    /** The table restricted to the given feature columns (for subset ablations). */
    public static double[][] columns(double[][] x, List<Integer> keep) {
        double[][] out = new double[x.length][keep.size()];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < keep.size(); k++) {
                out[i][k] = x[i][keep.get(k)];
            }
        }
        return out;
    }

    private static double fitAndScore(Regressor model, double[][] x, double[] y, int[] train, int[] test) {
        double[] p = fitAndPredict(model, x, y, train, test);
        double[] truth = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            truth[i] = y[test[i]];
        }
        return r2(truth, p);
    }

    private static double[] fitAndPredict(Regressor model, double[][] x, double[] y, int[] train, int[] test) {
        double[][] xTrain = rows(x, train), xTest = rows(x, test);
        double[] yTrain = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            yTrain[i] = y[train[i]];
        }
        MinMaxScaler scaler = MinMaxScaler.fit(xTrain);
        model.fit(scaler.transform(xTrain), yTrain);
        return model.predict(scaler.transform(xTest));
    }

    private static double[][] rows(double[][] x, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    private static int[] slice(int[] a, int from, int to) {
        int[] s = new int[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }
}
