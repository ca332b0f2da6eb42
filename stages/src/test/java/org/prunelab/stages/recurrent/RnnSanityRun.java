package org.prunelab.stages.recurrent;

import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.data.reber.ReberSetGenerator;

/** Not a test: trains a small recurrent classifier on a generated Reber set and prints speed and accuracy. */
public final class RnnSanityRun {
    public static void main(String[] args) {
        CellType cell = CellType.parse(args.length > 0 ? args[0] : "gru");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
        ReberSetGenerator.Split split = ReberSetGenerator.generate(
                new ReberSetGenerator.Settings(n / 2, n * 7 / 25, n / 2 - n * 7 / 25, n * 3 / 4, 10, 0.15), 1);
        RecurrentClassifier m = new RecurrentClassifier(cell, 50, new int[] {50, 50, 50}, 2, Readout.LAST_STEP);
        m.initialise(new SplittableRandom(3));
        var params = m.parameters();
        double[][] mo = new double[params.size()][], ve = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            mo[i] = new double[params.get(i).size()];
            ve[i] = new double[params.get(i).size()];
        }
        int batch = 32;
        long step = 0;
        ReberSet train = split.train();
        for (int e = 0; e < epochs; e++) {
            int[] order = Seeds.permutation(train.size(), Seeds.stream(9, e));
            long t0 = System.nanoTime();
            double lossSum = 0;
            int batches = 0;
            for (int s = 0; s + batch <= order.length; s += batch) {
                String[] xs = new String[batch];
                int[] ys = new int[batch];
                for (int i = 0; i < batch; i++) {
                    xs[i] = train.string(order[s + i]);
                    ys[i] = train.isValid(order[s + i]) ? 1 : 0;
                }
                m.zeroGradients();
                lossSum += m.lossAndGradients(xs, ys).loss();
                batches++;
                double norm = 0;
                for (Parameter p : params) {
                    for (double g : p.grad()) {
                        norm += g * g;
                    }
                }
                norm = Math.sqrt(norm);
                double clip = norm > 5 ? 5 / (norm + 1e-6) : 1;
                step++;
                for (int i = 0; i < params.size(); i++) {
                    double[] v = params.get(i).value(), g = params.get(i).grad();
                    for (int k = 0; k < v.length; k++) {
                        double gk = g[k] * clip;
                        mo[i][k] = 0.9 * mo[i][k] + 0.1 * gk;
                        ve[i][k] = 0.999 * ve[i][k] + 0.001 * gk * gk;
                        double mh = mo[i][k] / (1 - Math.pow(0.9, step)), vh = ve[i][k] / (1 - Math.pow(0.999, step));
                        v[k] -= 1e-3 * mh / (Math.sqrt(vh) + 1e-8);
                    }
                    params.get(i).applyMask();
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s epoch %d loss %.4f  %.0f samples/s  test acc %.4f%n", cell.configName(), e + 1,
                    lossSum / batches, batches * batch / secs, accuracy(m, split.test()));
        }
    }

    static double accuracy(RecurrentClassifier m, ReberSet set) {
        int correct = 0;
        for (int s = 0; s < set.size(); s += 256) {
            int len = Math.min(256, set.size() - s);
            String[] xs = new String[len];
            for (int i = 0; i < len; i++) {
                xs[i] = set.string(s + i);
            }
            RecurrentClassifier.Pass p = m.predict(xs);
            for (int i = 0; i < len; i++) {
                correct += p.predicted(i, 2) == (set.isValid(s + i) ? 1 : 0) ? 1 : 0;
            }
        }
        return (double) correct / set.size();
    }
}
