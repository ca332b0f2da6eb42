package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;

/**
 * {@code runtime.precision: float32} on a short MLP training (120-64-10, SGD with momentum and Adam,
 * dense and 60 % pruned, 2 threads): close to the fp64 training, bit-identical on a re-run, pruned
 * weights and moments exactly 0.
 *
 * <p>Tolerance, absolute on every weight and bias after 20 updates (weights ~0.1): 1e-6 for SGD,
 * 1e-5 for Adam. A layer product differs from fp64 by at most (k + 3)·2⁻²⁴ of the sum of its terms'
 * magnitudes (k ≤ 120: ≤ 7.3e-6 of it), typically ~√k·2⁻²⁴ ≈ 7e-7; the loss gradient inherits that
 * relative error, ReLU and softmax are Lipschitz, and SGD (lr 0.05) moves a weight by lr times its
 * gradient error per update (measured: 5e-9–1.2e-8 after 20 updates). Adam's step m/(√s + ε) is
 * scale-free, so a relative gradient error becomes an error of the step itself (~lr·7e-7 per
 * update; measured 2.6e-7–1e-6). Both bounds leave a 10–100× margin, and there is no sampling that
 * could make a discrete jump.
 */
class MlpFloat32TrainingTest {
    private static final int[] SIZES = {120, 64, 10};
    private static final double SGD_TOL = 1e-6, ADAM_TOL = 1e-5;

    private static MlpTrainer.State train(Mlp start, OptimizerSettings settings, Precision precision) {
        MlpTrainer.State st = MlpTrainer.State.fresh(start.copy());
        MlpPass pass = MlpPass.of(st.mlp, "dense", precision);
        assertEquals(precision == Precision.FLOAT32 ? "dense-fp32,dense-fp32" : "dense,dense", pass.kernelNames());
        MlpTrainer trainer = new MlpTrainer(settings, pass);
        int n = 32;
        for (int u = 0; u < 20; u++) {
            double[] x = MlpTestData.normal(n * SIZES[0], 100 + u);
            int[] y = MlpTestData.labels(n, SIZES[2], 200 + u);
            trainer.update(st, x, y, n, 0.05);
        }
        return st;
    }

    @Test
    void float32TrainingIsCloseToFp64BitIdenticalOnRerunAndKeepsPrunedWeightsZero() {
        int before = Numerics.threads();
        try {
            Numerics.setThreads(2);
            for (double sparsity : new double[] {0.0, 0.6}) {
                Mlp start = MlpTestData.random(SIZES, sparsity, 5);
                for (OptimizerSettings s : new OptimizerSettings[] {OptimizerSettings.sgd(0.9),
                    OptimizerSettings.adam(0.9, 0.999, 1e-8)}) {
                    String where = s.optimizer() + " s=" + sparsity;
                    MlpTrainer.State fp64 = train(start, s, Precision.FLOAT64);
                    MlpTrainer.State fp32 = train(start, s, Precision.FLOAT32);
                    MlpTrainer.State again = train(start, s, Precision.FLOAT32);
                    double largest = 0.0;
                    for (int l = 0; l < SIZES.length - 1; l++) {
                        assertArrayEquals(fp32.mlp.w[l], again.mlp.w[l], where + ": re-run, layer " + l);
                        assertArrayEquals(fp32.mlp.b[l], again.mlp.b[l], where + ": re-run bias, layer " + l);
                        assertArrayEquals(fp32.m1w[l], again.m1w[l], where + ": re-run moment, layer " + l);
                        for (int j = 0; j < fp32.mlp.w[l].length; j++) {
                            largest = Math.max(largest, Math.abs(fp32.mlp.w[l][j] - fp64.mlp.w[l][j]));
                            if (start.mask[l][j] == 0) {
                                assertEquals(0L, Double.doubleToRawLongBits(fp32.mlp.w[l][j]), where + ": pruned w");
                                assertEquals(0L, Double.doubleToRawLongBits(fp32.m1w[l][j]), where + ": pruned m1");
                                assertEquals(0L, Double.doubleToRawLongBits(fp32.m2w[l][j]), where + ": pruned m2");
                            }
                        }
                        for (int o = 0; o < fp32.mlp.b[l].length; o++) {
                            largest = Math.max(largest, Math.abs(fp32.mlp.b[l][o] - fp64.mlp.b[l][o]));
                        }
                    }
                    double tol = s.adam() ? ADAM_TOL : SGD_TOL;
                    assertTrue(largest <= tol, where + ": largest |p32 - p64| = " + largest + " > " + tol);
                    assertTrue(largest > 0.0, where + ": float32 gave fp64's bits: not single precision");
                }
            }
        } finally {
            Numerics.setThreads(before);
        }
    }
}
