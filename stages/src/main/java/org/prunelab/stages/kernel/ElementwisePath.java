package org.prunelab.stages.kernel;

import java.util.Locale;

/**
 * Where the counter-sampling path's sigmoids and the exact log-partition's softplus run: on the Java
 * Vector API ({@link VectorSigmoid}, {@link VectorSoftplus}) when the JVM has the incubator module
 * {@code jdk.incubator.vector} (run {@code java --add-modules jdk.incubator.vector}; Make, surefire
 * and the benchmarks do), else one entry at a time ({@link PolynomialSigmoid},
 * {@link PolynomialSoftplus}). Both give the same bits, so the choice changes only the speed, is
 * part of no step identity, and is announced once on stderr when the path is first used. Force the
 * scalar path with {@code -Dprunelab.elementwise=scalar} (tests use both).
 */
final class ElementwisePath {
    static final String PROPERTY = "prunelab.elementwise";
    private static final boolean VECTOR = decide();

    private ElementwisePath() {
    }

    static boolean vector() {
        return VECTOR;
    }

    /** x[j] = σ(x[j]) on [from, to), by {@link PolynomialSigmoid}'s formula. */
    static void sigmoid(double[] x, int from, int to) {
        if (VECTOR) {
            VectorSigmoid.inPlace(x, from, to);
        } else {
            PolynomialSigmoid.inPlace(x, from, to);
        }
    }

    /** {@link PolynomialSigmoid#sample}, vectorised when possible. */
    static void sample(double[] pre, int at, double[] u, int count, double[] probs, double[] samples) {
        if (VECTOR) {
            VectorSigmoid.sample(pre, at, u, count, probs, samples);
        } else {
            PolynomialSigmoid.sample(pre, at, u, 0, count, probs, samples);
        }
    }

    /** {@link PolynomialSoftplus#sum}, vectorised when possible. */
    static double softplusSum(double[] x, int from, int to) {
        return VECTOR ? VectorSoftplus.sum(x, from, to) : PolynomialSoftplus.sumScalar(x, from, to);
    }

    private static boolean decide() {
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean vector = false;
        if (!forced.equals("scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                vector = VectorSigmoid.lanes() >= 2 && VectorSoftplus.lanes() == 4;
            } catch (LinkageError unusable) {
                vector = false; // e.g. another JDK's incubator API: the scalar formula gives the same bits
            }
        }
        System.err.println("elementwise: counter-sampling sigmoids and exact-likelihood softplus on the "
                + (vector ? "Java Vector API" : "scalar path (run java --add-modules jdk.incubator.vector for SIMD)"));
        return vector;
    }
}
