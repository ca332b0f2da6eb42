package org.prunelab.stages.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.core.StableMath;

/**
 * The auxiliary-classifier candidate scores of rbm-dilution protocol §7.5, over N samples with class
 * probabilities p(y|x):
 * <ul>
 * <li>(i) confident-sample rate: fraction with max_y p(y|x) &gt; τ (strict), τ ∈ {0.5, 0.9, 0.99};</li>
 * <li>(ii) mean confidence (1/N) Σ max_y p(y|x);</li>
 * <li>(iii) coverage entropy −Σ q log q (nats) of the histogram q of argmax classes (lowest index on
 * ties), and the number of classes with q ≥ 1 %;</li>
 * <li>(iv) inception-style score exp((1/N) Σ_x KL(p(y|x) ‖ p̂)), p̂ = (1/N) Σ_x p(y|x), with 0·log 0 = 0.</li>
 * </ul>
 */
public record SampleScores(int samples, double confident50, double confident90, double confident99,
        double meanConfidence, double coverageEntropy, int classesAbove1Percent, double inceptionScore) {

    /** Scores of n rows of class probabilities (n x 10, row-major). */
    public static SampleScores of(double[] probs, int n) {
        int k = Classifier.CLASSES;
        if (n < 1 || probs.length < (long) n * k) {
            throw new IllegalArgumentException("need n >= 1 rows of " + k + " probabilities, got " + probs.length
                    + " values for n=" + n);
        }
        int c50 = 0, c90 = 0, c99 = 0;
        double conf = 0.0;
        int[] hist = new int[k];
        double[] marginal = new double[k];
        for (int r = 0; r < n; r++) {
            int base = r * k;
            int best = Classifier.argmax(probs, base, k);
            double max = probs[base + best];
            c50 += max > 0.5 ? 1 : 0;
            c90 += max > 0.9 ? 1 : 0;
            c99 += max > 0.99 ? 1 : 0;
            conf += max;
            hist[best]++;
            for (int y = 0; y < k; y++) {
                marginal[y] += probs[base + y];
            }
        }
        double entropy = 0.0;
        int covered = 0;
        for (int y = 0; y < k; y++) {
            double q = (double) hist[y] / n;
            if (q > 0.0) {
                entropy -= q * Math.log(q);
            }
            if (hist[y] * 100L >= n) { // q ≥ 1 %, in integers
                covered++;
            }
            marginal[y] /= n;
        }
        double kl = 0.0;
        for (int r = 0; r < n; r++) {
            int base = r * k;
            for (int y = 0; y < k; y++) {
                double p = probs[base + y];
                if (p > 0.0) {
                    kl += p * (Math.log(p) - Math.log(marginal[y]));
                }
            }
        }
        return new SampleScores(n, (double) c50 / n, (double) c90 / n, (double) c99 / n, conf / n, entropy, covered,
                Math.exp(kl / n));
    }

    /** Scores of n images under a classifier. */
    public static SampleScores of(Classifier classifier, double[] images, int n) {
        return of(classifier.probabilities(images, n), n);
    }

    /** Metric names {@code prefix + "confident_0.9"} etc., in a fixed order. */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "confident_0.5", confident50);
        m.put(prefix + "confident_0.9", confident90);
        m.put(prefix + "confident_0.99", confident99);
        m.put(prefix + "mean_confidence", meanConfidence);
        m.put(prefix + "coverage_entropy", coverageEntropy);
        m.put(prefix + "classes_above_1pct", (double) classesAbove1Percent);
        m.put(prefix + "inception_score", inceptionScore);
        return m;
    }

    /** (score − floor)/(ceiling − floor); NaN when ceiling == floor. */
    public static double normalised(double score, double floor, double ceiling) {
        return ceiling == floor ? Double.NaN : (score - floor) / (ceiling - floor);
    }

    /**
     * Reference points of protocol §7.5: the ceiling (real held-out images), and two floors (uniform
     * noise images; samples of a bias-only RBM, W = 0).
     */
    public record References(SampleScores ceiling, SampleScores noiseFloor, SampleScores biasOnlyFloor) {
        /** Every score with its references: {@code score.*}, {@code ceiling.*}, {@code floor_noise.*}, {@code floor_bias_only.*}. */
        public Map<String, Double> asMetrics(String prefix, SampleScores score) {
            Map<String, Double> m = new LinkedHashMap<>(score.asMetrics(prefix + "score."));
            m.putAll(ceiling.asMetrics(prefix + "ceiling."));
            m.putAll(noiseFloor.asMetrics(prefix + "floor_noise."));
            m.putAll(biasOnlyFloor.asMetrics(prefix + "floor_bias_only."));
            return m;
        }
    }

    /**
     * Computes the references. {@code heldOut}: n real test images in the samples' format
     * (binarised the same way). {@code visibleBias}: the biases of the bias-only RBM; pass the
     * evaluated model's {@code a} (protocol: "samples from a bias-only RBM (W = 0)"), or logit of the
     * training pixel means for a model-independent floor. {@code meanField} must match
     * {@code sample.kind}: noise is Uniform(0,1) and the bias-only "sample" is σ(a) instead of
     * binary draws.
     */
    public static References references(Classifier classifier, double[] heldOut, int nHeldOut, double[] visibleBias,
            int n, boolean meanField, SplittableRandom rng) {
        SampleScores ceiling = of(classifier, heldOut, nHeldOut);
        SampleScores noise = of(classifier, uniformNoise(n, classifier.inputs(), meanField, rng), n);
        SampleScores bias = of(classifier, biasOnlySamples(visibleBias, n, meanField, rng), n);
        return new References(ceiling, noise, bias);
    }

    /** n images of nv pixels: Bernoulli(1/2) each (binary) or Uniform(0, 1) (mean-field). */
    public static double[] uniformNoise(int n, int nv, boolean meanField, SplittableRandom rng) {
        double[] x = new double[n * nv];
        for (int j = 0; j < x.length; j++) {
            double u = rng.nextDouble();
            x[j] = meanField ? u : (u < 0.5 ? 1.0 : 0.0);
        }
        return x;
    }

    /**
     * Exact samples of a bias-only RBM (W = 0): its visible marginal is the product of
     * Bernoulli(σ(a_i)), whatever the hidden biases, so no Gibbs chain is needed. With
     * {@code meanField} every row is p(v|h) = σ(a).
     */
    public static double[] biasOnlySamples(double[] visibleBias, int n, boolean meanField, SplittableRandom rng) {
        int nv = visibleBias.length;
        double[] p = new double[nv];
        for (int i = 0; i < nv; i++) {
            p[i] = StableMath.sigmoid(visibleBias[i]);
        }
        double[] x = new double[n * nv];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < nv; i++) {
                x[r * nv + i] = meanField ? p[i] : (rng.nextDouble() < p[i] ? 1.0 : 0.0);
            }
        }
        return x;
    }
}
