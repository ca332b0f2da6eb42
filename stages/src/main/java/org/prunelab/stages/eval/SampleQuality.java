package org.prunelab.stages.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The sample-based metrics of rbm-dilution protocol §7.5 for one set of generated samples: the four
 * candidate classifier scores next to their references, as separate metrics ({@code score.*},
 * {@code ceiling.*} on real held-out images, {@code floor_noise.*} on uniform noise,
 * {@code floor_bias.*} on a bias-only RBM), plus the sample pixel statistics ({@code pixels.*}) and
 * the score's own spread at this image count ({@code score_spread.*}, {@link ScoreSpread}: the
 * standard deviation of each score over disjoint blocks of real held-out images of the samples'
 * count).
 */
public final class SampleQuality {
    private SampleQuality() {
    }

    /**
     * @param samples     n generated samples, binary or mean-field as {@code meanField} says
     * @param heldOut     real test images binarised like the training data: the first {@code nHeldOut}
     *                    are the ceiling; all of them (the array's whole length) measure the spread
     * @param floorBias   visible biases of the bias-only floor model (logit of the training pixel
     *                    means: the same floor for every evaluated model, so floors are comparable
     *                    across sparsities)
     */
    public static Map<String, Double> metrics(Classifier classifier, double[] samples, int n, boolean meanField,
            double[] heldOut, int nHeldOut, double[] floorBias, SplittableRandom rng) {
        SampleScores score = SampleScores.of(classifier, samples, n);
        SampleScores.References ref = SampleScores.references(classifier, heldOut, nHeldOut, floorBias, n, meanField, rng);
        Map<String, Double> m = new LinkedHashMap<>(score.asMetrics("score."));
        m.putAll(ref.ceiling().asMetrics("ceiling."));
        m.putAll(ref.noiseFloor().asMetrics("floor_noise."));
        m.putAll(ref.biasOnlyFloor().asMetrics("floor_bias."));
        int available = heldOut.length / classifier.inputs();
        m.putAll(ScoreSpread.of(classifier, heldOut, available, n).asMetrics("score_spread."));
        m.putAll(PixelStatistics.compare(samples, n, heldOut, nHeldOut, classifier.inputs()).asMetrics("pixels."));
        return m;
    }
}
