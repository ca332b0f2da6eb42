package org.prunelab.stages.families.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.kernel.LayerKernel;
import org.prunelab.stages.kernel.LayerKernels;

class MlpPassTest {

    @Test
    void initialisationIsPyTorchDefaultUniformAndCountsMatchTheSpec() {
        Mlp mlp = Mlp.initialise(Mlp.sizes(784, "100", 10), new SplittableRandom(3));
        assertEquals(79_400, mlp.prunableWeights()); // spec §2.1
        assertEquals(0.0, mlp.compression());
        for (int l = 0; l < mlp.layers(); l++) {
            double bound = 1.0 / Math.sqrt(mlp.in(l));
            double max = 0;
            for (double v : mlp.w[l]) {
                max = Math.max(max, Math.abs(v));
            }
            for (double v : mlp.b[l]) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.95 * bound, "layer " + l + " max " + max + " bound " + bound);
        }
        assertArrayEquals(new int[] {784, 300, 100, 10}, Mlp.sizes(784, "300-100", 10));
        assertThrows(IllegalArgumentException.class, () -> Mlp.sizes(784, "100-x", 10));
        assertThrows(IllegalArgumentException.class, () -> Mlp.sizes(784, "0", 10));
        // same seed, same weights to the bit
        Mlp again = Mlp.initialise(Mlp.sizes(784, "100", 10), new SplittableRandom(3));
        assertArrayEquals(mlp.w[0], again.w[0]);
        assertArrayEquals(mlp.b[1], again.b[1]);
    }

    @Test
    void filesRoundTrip(@TempDir Path dir) throws Exception {
        Mlp mlp = MlpTestData.random(new int[] {6, 5, 3}, 0.4, 9);
        MlpFiles.write(mlp, dir);
        Mlp back = MlpFiles.read(dir);
        assertArrayEquals(mlp.sizes, back.sizes);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(mlp.w[l], back.w[l]);
            assertArrayEquals(mlp.b[l], back.b[l]);
            assertArrayEquals(mlp.mask[l], back.mask[l]);
        }
        assertEquals(mlp.remainingWeights(), back.remainingWeights());
    }

    @Test
    void backpropMatchesFiniteDifferencesOnATinyMaskedNet() {
        int[] sizes = {5, 4, 4, 3};
        Mlp mlp = MlpTestData.random(sizes, 0.3, 11);
        int n = 6;
        double[] x = MlpTestData.normal(n * 5, 12);
        int[] y = MlpTestData.labels(n, 3, 13);
        for (String kernel : new String[] {"dense", "sparse"}) {
            MlpPass pass = MlpPass.of(mlp, kernel);
            double[][] gw = new double[3][], gb = new double[3][];
            for (int l = 0; l < 3; l++) {
                gw[l] = new double[mlp.w[l].length];
                gb[l] = new double[mlp.b[l].length];
            }
            pass.lossAndGradient(x, y, n, gw, gb);
            double h = 1e-6;
            double[][] scratchW = new double[3][], scratchB = new double[3][];
            for (int l = 0; l < 3; l++) {
                scratchW[l] = new double[gw[l].length];
                scratchB[l] = new double[gb[l].length];
            }
            for (int l = 0; l < 3; l++) {
                for (int j = 0; j < mlp.w[l].length; j++) {
                    if (mlp.mask[l][j] == 0) {
                        assertEquals(0.0, gw[l][j], "masked gradient must be exactly 0");
                        continue;
                    }
                    double keep = mlp.w[l][j];
                    mlp.w[l][j] = keep + h;
                    double up = pass.lossAndGradient(x, y, n, scratchW, scratchB);
                    mlp.w[l][j] = keep - h;
                    double down = pass.lossAndGradient(x, y, n, scratchW, scratchB);
                    mlp.w[l][j] = keep;
                    assertEquals((up - down) / (2 * h), gw[l][j], 1e-7, kernel + " w" + l + "[" + j + "]");
                }
                for (int o = 0; o < mlp.b[l].length; o++) {
                    double keep = mlp.b[l][o];
                    mlp.b[l][o] = keep + h;
                    double up = pass.lossAndGradient(x, y, n, scratchW, scratchB);
                    mlp.b[l][o] = keep - h;
                    double down = pass.lossAndGradient(x, y, n, scratchW, scratchB);
                    mlp.b[l][o] = keep;
                    assertEquals((up - down) / (2 * h), gb[l][o], 1e-7, kernel + " b" + l + "[" + o + "]");
                }
            }
        }
    }

    @Test
    void denseAndSparseKernelsAgree() {
        int in = 37, out = 23, n = 9;
        for (double sparsity : new double[] {0.0, 0.5, 0.95, 1.0}) {
            Mlp mlp = MlpTestData.random(new int[] {in, out}, sparsity, 21);
            double[] x = MlpTestData.normal(n * in, 22);
            double[] dz = MlpTestData.normal(n * out, 23);
            dz[3] = 0.0; // exact zeros are skipped by both kernels
            LayerKernel dense = LayerKernels.dense(in, out);
            LayerKernel sparse = LayerKernels.sparse(mlp.mask[0], in, out);
            double[] z1 = new double[n * out], z2 = new double[n * out];
            dense.forward(mlp.w[0], mlp.b[0], x, n, z1);
            sparse.forward(mlp.w[0], mlp.b[0], x, n, z2);
            assertArrayEquals(z1, z2, 1e-12, "forward at sparsity " + sparsity);
            double[] dx1 = new double[n * in], dx2 = new double[n * in];
            dense.backwardInput(mlp.w[0], dz, n, dx1);
            sparse.backwardInput(mlp.w[0], dz, n, dx2);
            assertArrayEquals(dx1, dx2, 1e-12, "backward at sparsity " + sparsity);
            double[] g1 = new double[in * out], g2 = new double[in * out];
            dense.weightGradient(x, dz, n, 0.5, g1);
            sparse.weightGradient(x, dz, n, 0.5, g2);
            for (int j = 0; j < g1.length; j++) {
                if (mlp.mask[0][j] != 0) {
                    assertEquals(g1[j], g2[j], 1e-12, "gradient at sparsity " + sparsity);
                } else {
                    assertEquals(0.0, g2[j], "sparse kernel must leave pruned entries untouched");
                }
            }
        }
        Mlp sparseNet = MlpTestData.random(new int[] {20, 10}, 0.99, 1); // above AUTO_SPARSE_THRESHOLD (0.95)
        assertEquals("sparse", MlpPass.of(sparseNet, "auto").kernelNames());
        assertEquals("dense", MlpPass.of(MlpTestData.random(new int[] {20, 10}, 0.1, 1), "auto").kernelNames());
    }

    @Test
    void scoreCountsArgmaxAndMeanCrossEntropy() {
        // 1 -> 2 linear net: logits (w0·x + b0, w1·x + b1) = (x, −x).
        Mlp mlp = new Mlp(new int[] {1, 2}, new double[][] {{1.0, -1.0}}, new double[][] {{0.0, 0.0}},
                new byte[][] {{1, 1}});
        MlpPass.Score s = MlpPass.of(mlp, "dense").score(new double[] {1.0, -2.0, 3.0}, new int[] {0, 0, 1}, 3, 2);
        assertEquals(1.0 / 3.0, s.accuracy(), 1e-15);
        double expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(4)) + Math.log(1 + Math.exp(6))) / 3;
        assertEquals(expected, s.loss(), 1e-12);
    }
}
