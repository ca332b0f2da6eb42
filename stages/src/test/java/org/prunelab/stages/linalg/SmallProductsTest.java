package org.prunelab.stages.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.linalg.GemmTest.Operand;

/** {@link Gemm#withLoopsBelow}: which products take the loops, and that the loops compute GEMM. */
class SmallProductsTest {

    /** The loops' defined order, written out: beta·C, then + alpha·a·b for p = 0, 1, ... */
    private static double[] inOrder(Operand a, Transpose ta, Operand b, Transpose tb, Operand c0, int m, int n, int k,
                                    double alpha, double beta) {
        double[] c = c0.data().clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = c0.offset() + i * c0.ld() + j;
                double acc = beta == 0.0 ? 0.0 : beta * c[at];
                for (int p = 0; p < k; p++) {
                    acc += alpha * GemmTest.op(a, ta, i, p) * GemmTest.op(b, tb, p, j);
                }
                c[at] = acc;
            }
        }
        return c;
    }

    @Test
    void everyTransposeCombinationMatchesGemmAndBelowTheThresholdIsTheLoopsToTheBit() {
        for (Gemm gemm : GemmTest.backends(1)) {
            Gemm small = gemm.withLoopsBelow(Gemm.NATIVE_PAYS_FROM);
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    SplittableRandom rng = new SplittableRandom(ta.ordinal() * 2 + tb.ordinal() + 5);
                    // 7·5·3 = 105 multiply-adds (loops), 20·16·13 = 4,160 (backend)
                    for (int[] s : new int[][] {{7, 5, 3}, {20, 16, 13}}) {
                        int m = s[0], n = s[1], k = s[2];
                        Operand a = ta == Transpose.NO ? Operand.random(m, k, 3, 5, rng) : Operand.random(k, m, 0, 2, rng);
                        Operand b = tb == Transpose.NO ? Operand.random(k, n, 0, 1, rng) : Operand.random(n, k, 4, 0, rng);
                        Operand c0 = Operand.random(m, n, 2, 3, rng);
                        String what = small.backendName() + " " + ta + tb + " " + m + "x" + n + "x" + k;
                        for (double[] ab : new double[][] {{1.0, 0.0}, {1.0, 1.0}, {0.75, -1.25}}) {
                            double[] c = c0.data().clone();
                            small.dgemm(ta, tb, m, n, k, ab[0], a.data(), a.offset(), a.ld(), b.data(), b.offset(),
                                    b.ld(), ab[1], c, c0.offset(), c0.ld());
                            GemmTest.assertMatchesReference(c, c0.data(), a, ta, b, tb, m, n, k, ab[0], ab[1],
                                    c0.offset(), c0.ld(), GemmTest.FP64_TOLERANCE, what);
                            double[] expected;
                            if ((long) m * n * k < Gemm.NATIVE_PAYS_FROM) {
                                expected = inOrder(a, ta, b, tb, c0, m, n, k, ab[0], ab[1]);
                            } else {
                                expected = c0.data().clone();
                                gemm.dgemm(ta, tb, m, n, k, ab[0], a.data(), a.offset(), a.ld(), b.data(), b.offset(),
                                        b.ld(), ab[1], expected, c0.offset(), c0.ld());
                            }
                            assertArrayEquals(expected, c, 0.0, what + " alpha " + ab[0] + " beta " + ab[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesNaNAndNoThresholdLeavesTheBackendAlone() {
        Gemm gemm = Gemm.create(1);
        double[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        gemm.withLoopsBelow(Gemm.NATIVE_PAYS_FROM).dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c, 0.0);
        assertEquals(gemm.backendName(), gemm.withLoopsBelow(10).backendName());
        assertEquals(gemm.threads(), gemm.withLoopsBelow(10).threads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gemm.withLoopsBelow(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        // bad arguments are still refused on the loop path
        assertThrows(IllegalArgumentException.class, () -> gemm.withLoopsBelow(Gemm.NATIVE_PAYS_FROM)
                .dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1.0, new double[3], 2, b, 2, 0.0, c, 2));
    }
}
