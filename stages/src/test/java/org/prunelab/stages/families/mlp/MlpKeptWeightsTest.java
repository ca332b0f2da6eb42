package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.Optimizers;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.prune.Masks;

/**
 * The trainer's kept-weight loops (gradient clearing, SGD and Adam over kept weights only) give the
 * bits of the full-matrix masked loops they replaced — a fresh zeroed gradient per update, the mask
 * applied to it, and {@link Optimizers#sgd} / {@link Optimizers#adam} with the mask — on the sparse
 * and the dense kernel, on 1 and 2 threads, with weight decay and dropout; pruned weights and their
 * optimiser state stay exactly 0.
 */
class MlpKeptWeightsTest {
    @Test
    void keptWeightUpdatesEqualTheFullMatrixMaskedUpdatesBitForBit() {
        int threadsBefore = Numerics.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Numerics.setThreads(threads);
                for (String kernel : new String[] {"sparse", "dense"}) {
                    for (OptimizerSettings opt : new OptimizerSettings[] {OptimizerSettings.sgd(0.9),
                            OptimizerSettings.adam(0.9, 0.999, 1e-8)}) {
                        for (double decay : new double[] {0.0, 1e-3}) {
                            check(kernel, opt, new MlpRegularisation(decay, decay > 0 ? 0.3 : 0.0, 5L),
                                    kernel + " " + opt.optimizer() + " decay=" + decay + " threads=" + threads);
                        }
                    }
                }
            }
        } finally {
            Numerics.setThreads(threadsBefore);
        }
    }

    private static void check(String kernel, OptimizerSettings opt, MlpRegularisation reg, String where) {
        SplittableRandom rng = new SplittableRandom(17);
        int[] sizes = {60, 24, 10};
        Mlp dense = Mlp.initialise(sizes, rng);
        Mlp model = dense.withMasks(new byte[][] {Masks.random(24 * 60, 0.9, rng), Masks.random(10 * 24, 0.5, rng)});
        int n = 16, batches = 6;
        double[] x = new double[batches * n * 60];
        int[] y = new int[batches * n];
        for (int j = 0; j < x.length; j++) {
            x[j] = rng.nextGaussian();
        }
        for (int j = 0; j < y.length; j++) {
            y[j] = rng.nextInt(10);
        }
        // new: the trainer
        MlpTrainer.State st = MlpTrainer.State.fresh(model.copy());
        MlpTrainer trainer = new MlpTrainer(opt, reg.pass(st.mlp, kernel), reg);
        // old: the same pass with a fresh gradient array each update, then the full masked loops
        MlpTrainer.State ref = MlpTrainer.State.fresh(model.copy());
        MlpRegularisation refReg = new MlpRegularisation(reg.weightDecay(), reg.dropout(), 5L);
        MlpPass refPass = refReg.pass(ref.mlp, kernel);
        for (int e = 0; e < 2; e++) {
            for (int b = 0; b < batches; b++) {
                double[] bx = Arrays.copyOfRange(x, b * n * 60, (b + 1) * n * 60);
                int[] by = Arrays.copyOfRange(y, b * n, (b + 1) * n);
                double lr = 0.05 / (1 + e);
                reg.at(e, b);
                double loss = trainer.update(st, bx, by, n, lr);
                refReg.at(e, b);
                double refLoss = referenceUpdate(ref, refPass, refReg, opt, bx, by, n, lr);
                assertEquals(Double.doubleToRawLongBits(refLoss), Double.doubleToRawLongBits(loss), where + " loss");
            }
        }
        for (int l = 0; l < model.layers(); l++) {
            assertBits(ref.mlp.w[l], st.mlp.w[l], where + " w" + l);
            assertBits(ref.mlp.b[l], st.mlp.b[l], where + " b" + l);
            assertBits(ref.m1w[l], st.m1w[l], where + " m1w" + l);
            assertBits(ref.m2w[l], st.m2w[l], where + " m2w" + l);
            boolean learned = false;
            for (int j = 0; j < st.mlp.mask[l].length; j++) {
                if (st.mlp.mask[l][j] == 0) {
                    assertEquals(0L, Double.doubleToRawLongBits(st.mlp.w[l][j]), where + " pruned w" + l + "[" + j + "]");
                    assertEquals(0L, Double.doubleToRawLongBits(st.m1w[l][j]), where + " pruned m1w" + l + "[" + j + "]");
                } else {
                    learned |= st.mlp.w[l][j] != model.w[l][j];
                }
            }
            assertTrue(learned, where + ": layer " + l + " did not train");
        }
    }

    /** The update as MlpTrainer did it before kept-weight loops. */
    private static double referenceUpdate(MlpTrainer.State st, MlpPass pass, MlpRegularisation reg, OptimizerSettings opt,
                                          double[] x, int[] y, int n, double lr) {
        Mlp mlp = st.mlp;
        double[][] gw = new double[mlp.layers()][], gb = new double[mlp.layers()][];
        for (int l = 0; l < mlp.layers(); l++) {
            gw[l] = new double[mlp.w[l].length];
            gb[l] = new double[mlp.b[l].length];
        }
        double loss = reg.trainingPass(() -> pass.lossAndGradient(x, y, n, gw, gb));
        reg.addDecay(mlp, gw, gb);
        if (opt.adam()) {
            st.step++;
            Optimizers.AdamStep step = Optimizers.AdamStep.at(st.step, lr, opt.beta1(), opt.beta2(), opt.epsilon());
            for (int l = 0; l < mlp.layers(); l++) {
                Optimizers.adam(mlp.w[l], gw[l], st.m1w[l], st.m2w[l], mlp.mask[l], step);
                Optimizers.adam(mlp.b[l], gb[l], st.m1b[l], st.m2b[l], null, step);
            }
        } else {
            for (int l = 0; l < mlp.layers(); l++) {
                Optimizers.sgd(mlp.w[l], gw[l], st.m1w[l], mlp.mask[l], opt.momentum(), lr);
                Optimizers.sgd(mlp.b[l], gb[l], st.m1b[l], null, opt.momentum(), lr);
            }
        }
        return loss;
    }

    private static void assertBits(double[] expected, double[] actual, String where) {
        for (int j = 0; j < expected.length; j++) {
            if (Double.doubleToRawLongBits(expected[j]) != Double.doubleToRawLongBits(actual[j])) {
                throw new AssertionError(where + "[" + j + "] is " + actual[j] + ", full-matrix loops gave " + expected[j]);
            }
        }
    }
}
