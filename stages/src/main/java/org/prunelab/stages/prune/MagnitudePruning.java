package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * {@code magnitude}: global ranking (class-blinded) by |w| over every taking-part weight; exactly
 * round(s·n) zeros, ties pruned lowest index first ({@link Masks#magnitude}). RBM P2 default and
 * the mask of the lottery-ticket arms.
 */
public final class MagnitudePruning implements PruningMethod {
    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        TakingPart part = new TakingPart(groups, request);
        return part.split(Masks.magnitude(part.weights, part.mask, TakingPart.sparsityTarget(request, name())));
    }
}
