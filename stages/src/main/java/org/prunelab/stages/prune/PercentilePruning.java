package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * The MLP study's rules (mlp-pruning protocol §2.2): a saliency per weight and a numpy-style
 * percentile threshold over the unpruned saliencies, global or per group ({@link LayerPruning}).
 * One class, registered once per saliency: {@code class-blinded} (|w|, global), {@code class-uniform}
 * (|w|, per group), {@code class-distribution} (|w|/σ of its group, global), {@code random-saliency}
 * (U(0,1), global). A {@link PruningRequest.Rate} is one step; a {@link PruningRequest.Sparsity} is
 * the one-shot step to that compression of all groups; a {@link PruningRequest.Count} removes exactly
 * that many weights ({@link ExactCount}: pooled, or per layer in proportion for class-uniform).
 */
public final class PercentilePruning implements PruningMethod {
    private final String name;
    private final LayerPruning.Method saliency;

    public PercentilePruning(String name, LayerPruning.Method saliency) {
        this.name = name;
        this.saliency = saliency;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        boolean[] included = request.includedFlags(groups.size());
        if (request.target() instanceof PruningRequest.Count c) {
            return ExactCount.removeLowest(groups, LayerPruning.saliency(groups, saliency, request.rng()), included,
                    c.value(), saliency == LayerPruning.Method.CLASS_UNIFORM);
        }
        double rate = request.target() instanceof PruningRequest.Rate r ? r.value()
                : LayerPruning.rateFor(groups, included, ((PruningRequest.Sparsity) request.target()).value());
        return LayerPruning.step(groups, saliency, included, rate, request.rng());
    }
}
