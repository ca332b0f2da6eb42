package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * Optimal Brain Damage (LeCun, Denker, Solla 1990; mlp-pruning protocol §2.2): saliency ½·h·w² with h
 * the diagonal of the Hessian of the training loss, one percentile over all taking-part layers (as
 * class-blinded). {@code obd} uses the exact diagonal ({@link Curvature#lossHessianDiagonal});
 * {@code obd-fisher} the squared-gradient (empirical Fisher) approximation, a named option only.
 * The surviving weights are left as they are (OBD has no weight correction).
 */
public final class ObdPruning implements SecondOrderPruning {
    private final String name;
    private final boolean fisher;

    public ObdPruning(String name, boolean fisher) {
        this.name = name;
        this.fisher = fisher;
    }

    @Override
    public String name() {
        return name;
    }

    /** ½·h·w² per weight, layer by layer (pruned entries get 0; they never enter a threshold). */
    public double[][] saliency(List<MaskedGroup> groups, Curvature curvature, boolean[] included) {
        double[][] s = new double[groups.size()][];
        for (int l = 0; l < groups.size(); l++) {
            double[] w = groups.get(l).weights();
            s[l] = new double[w.length];
            if (!included[l]) {
                continue;
            }
            double[] h = fisher ? curvature.fisherDiagonal(l) : curvature.lossHessianDiagonal(l);
            if (h.length != w.length) {
                throw new IllegalArgumentException("curvature of group " + l + " has " + h.length + " entries for "
                        + w.length + " weights");
            }
            for (int j = 0; j < w.length; j++) {
                s[l][j] = 0.5 * h[j] * w[j] * w[j];
            }
        }
        return s;
    }

    @Override
    public PrunedLayers prune(List<MaskedGroup> groups, PruningRequest request, Curvature curvature) {
        boolean[] included = request.includedFlags(groups.size());
        double[][] s = saliency(groups, curvature, included);
        if (request.target() instanceof PruningRequest.Count c) {
            return new PrunedLayers(ExactCount.removeLowest(groups, s, included, c.value(), false), null);
        }
        double rate = SecondOrderPruning.rateOf(groups, included, request);
        return new PrunedLayers(LayerPruning.thresholdStep(groups, s, included, rate, false), null);
    }
}
