package org.prunelab.stages.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The score's own spread (issue 12: "the score's own seed spread reported"): how much each
 * {@link SampleScores} value moves when the same classifier scores another set of n images from the
 * same source. Real held-out images are cut into consecutive disjoint blocks of n; each block is
 * scored like the samples, and the sample standard deviation over blocks is reported per score. A
 * difference between two points smaller than this spread is within what n images can resolve,
 * whatever the RBM seeds do.
 */
public record ScoreSpread(int blocks, int imagesPerBlock, Map<String, Double> standardDeviations) {
    private static final List<Map.Entry<String, ToDoubleFunction<SampleScores>>> SCORES = List.of(
            Map.entry("confident_0.5", SampleScores::confident50),
            Map.entry("confident_0.9", SampleScores::confident90),
            Map.entry("confident_0.99", SampleScores::confident99),
            Map.entry("mean_confidence", SampleScores::meanConfidence),
            Map.entry("coverage_entropy", SampleScores::coverageEntropy),
            Map.entry("classes_above_1pct", s -> s.classesAbove1Percent()),
            Map.entry("inception_score", SampleScores::inceptionScore));

    /**
     * Scores {@code available / n} disjoint blocks of n images of {@code images}; with fewer than two
     * blocks every deviation is NaN (a spread needs two draws).
     */
    public static ScoreSpread of(Classifier classifier, double[] images, int available, int n) {
        int d = classifier.inputs();
        if (n < 1 || available < 0 || (long) available * d > images.length) {
            throw new IllegalArgumentException("need n >= 1 and " + available + " images of " + d + " pixels, got n=" + n
                    + " and " + images.length + " values");
        }
        int blocks = available / n;
        double[] probs = blocks < 2 ? new double[0] : classifier.probabilities(images, blocks * n);
        double[][] values = new double[SCORES.size()][blocks];
        for (int b = 0; b < blocks; b++) {
            double[] block = java.util.Arrays.copyOfRange(probs, b * n * Classifier.CLASSES, (b + 1) * n * Classifier.CLASSES);
            SampleScores s = SampleScores.of(block, n);
            for (int k = 0; k < SCORES.size(); k++) {
                values[k][b] = SCORES.get(k).getValue().applyAsDouble(s);
            }
        }
        Map<String, Double> sd = new LinkedHashMap<>();
        for (int k = 0; k < SCORES.size(); k++) {
            sd.put(SCORES.get(k).getKey(), blocks < 2 ? Double.NaN : standardDeviation(values[k]));
        }
        return new ScoreSpread(blocks, n, sd);
    }

    /** Sample standard deviation (n − 1 in the denominator). */
    static double standardDeviation(double[] x) {
        double mean = 0.0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0.0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    /** {@code prefix + score} for every score's deviation, plus {@code prefix + "blocks"}. */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        standardDeviations.forEach((k, v) -> m.put(prefix + k, v));
        m.put(prefix + "blocks", (double) blocks);
        return m;
    }
}
