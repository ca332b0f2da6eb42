package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * {@code random}: exactly round(s·n) zeros over the n taking-part weights, the new ones drawn
 * uniformly among the survivors (partial Fisher–Yates, {@link Masks#randomFurther}). RBM dilution
 * (P1 {@code random}) and the P2 random control.
 */
public final class RandomPruning implements PruningMethod {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        TakingPart part = new TakingPart(groups, request);
        return part.split(Masks.randomFurther(part.mask, TakingPart.sparsityTarget(request, name()), request.rng()));
    }
}
