package org.prunelab.stages.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend and transpose combination against a plain triple loop. Tolerances, relative to
 * sum_k |alpha a_ik b_kj| + |beta c_ij| (the scale rounding errors are proportional to):
 * fp64 1e-12; fp32 (float inputs and accumulation, reference in double) 1e-5, which covers k up to
 * a few hundred terms of float rounding (eps 6e-8) with margin.
 */
class GemmTest {

    static final double FP64_TOLERANCE = 1e-12;
    static final double FP32_TOLERANCE = 1e-5;

    /** Native must load on the platform the bundled library is for: a silent fallback would hide a regression. */
    static boolean nativeExpected() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    static List<Gemm> backends(int threads) {
        Gemm nativeGemm = Gemm.create(BackendChoice.AUTO, threads);
        if (nativeExpected()) {
            assertEquals("openblas-native", nativeGemm.backendName(), "native OpenBLAS should load on linux-x86_64");
        }
        return List.of(nativeGemm, Gemm.create(BackendChoice.JAVA, threads), Gemm.javaLoops(threads));
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (int threads : new int[] {1, 2}) {
            for (Gemm gemm : backends(threads)) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        cases.add(Arguments.of(gemm, ta, tb));
                    }
                }
            }
        }
        return cases.build();
    }

    /** A random operand with stored shape rows x cols, leading dimension ld >= cols, starting at offset. */
    record Operand(double[] data, int offset, int ld) {
        static Operand random(int rows, int cols, int pad, int offset, SplittableRandom rng) {
            int ld = cols + pad;
            double[] data = new double[offset + rows * ld];
            for (int i = 0; i < data.length; i++) {
                data[i] = rng.nextDouble(-1.0, 1.0);
            }
            return new Operand(data, offset, ld);
        }

        double at(int i, int j) {
            return data[offset + i * ld + j];
        }

        float[] floats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return f;
        }
    }

    static double op(Operand x, Transpose t, int i, int j) {
        return t == Transpose.NO ? x.at(i, j) : x.at(j, i);
    }

    /** Checks c against the triple loop, element by element, and that C's padding is untouched. */
    static void assertMatchesReference(double[] c, double[] cBefore, Operand a, Transpose ta, Operand b, Transpose tb,
            int m, int n, int k, double alpha, double beta, int cOffset, int ldc, double tolerance, String what) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0, scale = 0.0;
                for (int p = 0; p < k; p++) {
                    double term = op(a, ta, i, p) * op(b, tb, p, j);
                    sum += term;
                    scale += Math.abs(alpha * term);
                }
                int idx = cOffset + i * ldc + j;
                double expected = alpha * sum + beta * cBefore[idx];
                scale += Math.abs(beta * cBefore[idx]);
                double error = Math.abs(c[idx] - expected);
                if (error > tolerance * scale) {
                    fail(String.format(Locale.ROOT, "%s: C[%d,%d] = %.17g, reference %.17g, error %.3g > %.3g", what, i,
                            j, c[idx], expected, error, tolerance * scale));
                }
            }
            for (int j = n; j < ldc && i < m - 1; j++) {
                assertEquals(cBefore[cOffset + i * ldc + j], c[cOffset + i * ldc + j], what + ": padding of C written");
            }
        }
        for (int idx = 0; idx < cOffset; idx++) {
            assertEquals(cBefore[idx], c[idx], what + ": C before its offset written");
        }
    }

    @ParameterizedTest(name = "{0} {1}{2}")
    @MethodSource("cases")
    void everyVariantMatchesTheTripleLoop(Gemm gemm, Transpose ta, Transpose tb) {
        SplittableRandom rng = new SplittableRandom(ta.ordinal() * 2 + tb.ordinal() + 17);
        // Odd, non-square shapes, padded leading dimensions and offsets; one large enough to be threaded.
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {37, 53, 29}, {130, 90, 120}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            Operand a = ta == Transpose.NO ? Operand.random(m, k, 3, 5, rng) : Operand.random(k, m, 0, 2, rng);
            Operand b = tb == Transpose.NO ? Operand.random(k, n, 0, 1, rng) : Operand.random(n, k, 4, 0, rng);
            Operand c0 = Operand.random(m, n, 2, 3, rng);
            double alpha = 0.75, beta = -1.25;
            String what = gemm.backendName() + "/" + gemm.threads() + " " + ta + tb + " " + m + "x" + n + "x" + k;

            double[] c = c0.data().clone();
            gemm.dgemm(ta, tb, m, n, k, alpha, a.data(), a.offset(), a.ld(), b.data(), b.offset(), b.ld(), beta, c,
                    c0.offset(), c0.ld());
            assertMatchesReference(c, c0.data(), a, ta, b, tb, m, n, k, alpha, beta, c0.offset(), c0.ld(),
                    FP64_TOLERANCE, what + " fp64");

            // fp32: the reference sees exactly the float inputs, widened.
            Operand af = new Operand(widen(a.floats()), a.offset(), a.ld());
            Operand bf = new Operand(widen(b.floats()), b.offset(), b.ld());
            float[] cf = c0.floats();
            double[] cfBefore = widen(cf);
            gemm.sgemm(ta, tb, m, n, k, (float) alpha, a.floats(), a.offset(), a.ld(), b.floats(), b.offset(), b.ld(),
                    (float) beta, cf, c0.offset(), c0.ld());
            assertMatchesReference(widen(cf), cfBefore, af, ta, bf, tb, m, n, k, alpha, beta, c0.offset(), c0.ld(),
                    FP32_TOLERANCE, what + " fp32");
        }
    }

    static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allBackendsTwoThreads")
    void betaZeroOverwritesCEvenWhereItHoldsNaN(Gemm gemm) {
        double[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        gemm.dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c, 0.0, gemm.backendName());
        float[] cf = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        gemm.sgemm(Transpose.NO, Transpose.YES, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 2, new float[] {5, 6, 7, 8}, 2,
                0f, cf, 2);
        assertArrayEquals(new float[] {17, 23, 39, 53}, cf, 0f, gemm.backendName());
    }

    static Stream<Gemm> allBackendsTwoThreads() {
        return backends(2).stream();
    }

    /** The RBM shapes: visible x weights, hidden x weightsᵀ, and the outer product visibleᵀ x hidden. */
    static final int[][] RBM_SHAPES = {{100, 500, 784}, {100, 784, 500}, {784, 500, 100}};
    static final Transpose[][] RBM_FLAGS = {{Transpose.NO, Transpose.NO}, {Transpose.NO, Transpose.YES},
        {Transpose.YES, Transpose.NO}};

    @Test
    void pureJavaAgreesWithNativeAtTheRbmShapes() {
        Gemm nativeGemm = Gemm.create(BackendChoice.AUTO, 2);
        Gemm javaGemm = Gemm.create(BackendChoice.JAVA, 2);
        assertTrue(javaGemm.backendName().startsWith("java-"), javaGemm.backendName());
        SplittableRandom rng = new SplittableRandom(5);
        for (int s = 0; s < RBM_SHAPES.length; s++) {
            int m = RBM_SHAPES[s][0], n = RBM_SHAPES[s][1], k = RBM_SHAPES[s][2];
            Transpose ta = RBM_FLAGS[s][0], tb = RBM_FLAGS[s][1];
            // Binary visible units against real weights, as in an RBM.
            double[] a = new double[m * k], b = new double[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextDouble() < 0.13 ? 1.0 : 0.0;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextGaussian() * 0.01;
            }
            int lda = ta == Transpose.NO ? k : m, ldb = tb == Transpose.NO ? n : k;
            double[] cNative = new double[m * n], cJava = new double[m * n];
            nativeGemm.dgemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, cNative, n);
            javaGemm.dgemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, cJava, n);
            double worst = 0.0, norm = 0.0;
            for (int i = 0; i < cNative.length; i++) {
                worst = Math.max(worst, Math.abs(cNative[i] - cJava[i]));
                norm = Math.max(norm, Math.abs(cNative[i]));
            }
            assertTrue(norm > 0.0, "degenerate product");
            assertTrue(worst <= 1e-12 * norm, "native vs java at " + m + "x" + n + "x" + k + ": " + worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allBackendsTwoThreads")
    void sameInputsAndThreadsGiveBitIdenticalResults(Gemm gemm) {
        SplittableRandom rng = new SplittableRandom(11);
        int m = 100, n = 500, k = 784;
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        double[] ad = widen(a), bd = widen(b);
        double[] first = new double[m * n];
        float[] firstF = new float[m * n];
        gemm.dgemm(Transpose.NO, Transpose.NO, m, n, k, 1.0, ad, k, bd, n, 0.0, first, n);
        gemm.sgemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, k, b, n, 0f, firstF, n);
        for (int run = 0; run < 3; run++) {
            double[] again = new double[m * n];
            float[] againF = new float[m * n];
            gemm.dgemm(Transpose.NO, Transpose.NO, m, n, k, 1.0, ad, k, bd, n, 0.0, again, n);
            gemm.sgemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, k, b, n, 0f, againF, n);
            for (int i = 0; i < first.length; i++) {
                if (Double.doubleToRawLongBits(first[i]) != Double.doubleToRawLongBits(again[i])
                        || Float.floatToRawIntBits(firstF[i]) != Float.floatToRawIntBits(againF[i])) {
                    fail(gemm.backendName() + "/" + gemm.threads() + ": run " + run + " differs at " + i);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeReachingNativeCode() {
        Gemm gemm = Gemm.create(BackendChoice.AUTO, 1);
        double[] a = new double[6], b = new double[6], c = new double[4];
        IllegalArgumentException shortB = assertThrows(IllegalArgumentException.class,
                () -> gemm.dgemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1.0, a, 3, b, 1, 0.0, c, 2));
        assertTrue(shortB.getMessage().contains("leading dimension of B"), shortB.getMessage());
        IllegalArgumentException nullA = assertThrows(IllegalArgumentException.class,
                () -> gemm.dgemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1.0, null, 3, b, 2, 0.0, c, 2));
        assertTrue(nullA.getMessage().contains("operand A is null"), nullA.getMessage());
        IllegalArgumentException cTooShort = assertThrows(IllegalArgumentException.class,
                () -> gemm.dgemm(Transpose.NO, Transpose.YES, 2, 2, 3, 1.0, a, 3, b, 3, 0.0, new double[3], 2));
        assertTrue(cTooShort.getMessage().contains("operand C") && cTooShort.getMessage().contains("array has 3"),
                cTooShort.getMessage());
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> gemm.sgemm(Transpose.YES, Transpose.NO, 2, 2, 3, 1f, new float[6], 1, 2, new float[6], 0, 2, 0f,
                        new float[4], 0, 2));
        assertTrue(offset.getMessage().contains("operand A"), offset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.create(BackendChoice.JAVA, 0));
    }

    @Test
    void zeroSizedProductsLeaveCAloneOrScaleIt() {
        Gemm gemm = Gemm.create(BackendChoice.AUTO, 1);
        double[] c = {1, 2, 3, 4};
        gemm.dgemm(Transpose.NO, Transpose.NO, 0, 2, 2, 1.0, new double[0], 2, new double[4], 2, 0.0, c, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4}, c, 0.0);
        gemm.dgemm(Transpose.NO, Transpose.NO, 2, 2, 0, 1.0, new double[0], 1, new double[0], 2, 2.0, c, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, c, 0.0);
    }
}
