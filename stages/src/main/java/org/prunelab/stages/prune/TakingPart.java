package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * The taking-part groups of a request laid end to end, so an exact-count rule ranks across groups
 * (class-blinded) with the same code that ranks one group. With a single group this is a plain
 * copy, so the rule's result is that of the one-group call.
 */
final class TakingPart {
    final double[] weights;
    final byte[] mask;
    private final List<MaskedGroup> groups;
    private final boolean[] included;

    TakingPart(List<MaskedGroup> groups, PruningRequest request) {
        this.groups = groups;
        this.included = request.includedFlags(groups.size());
        int size = 0;
        for (int l = 0; l < groups.size(); l++) {
            size += included[l] ? groups.get(l).size() : 0;
        }
        weights = new double[size];
        mask = new byte[size];
        int at = 0;
        for (int l = 0; l < groups.size(); l++) {
            if (included[l]) {
                MaskedGroup g = groups.get(l);
                System.arraycopy(g.weights(), 0, weights, at, g.size());
                System.arraycopy(g.mask(), 0, mask, at, g.size());
                at += g.size();
            }
        }
    }

    /** Splits a pruned concatenated mask back into per-group masks (non-taking-part groups unchanged). */
    byte[][] split(byte[] pruned) {
        byte[][] masks = PruningMethod.currentMasks(groups);
        int at = 0;
        for (int l = 0; l < groups.size(); l++) {
            if (included[l]) {
                System.arraycopy(pruned, at, masks[l], 0, masks[l].length);
                at += masks[l].length;
            }
        }
        return masks;
    }

    static double sparsityTarget(PruningRequest request, String method) {
        if (request.target() instanceof PruningRequest.Sparsity s) {
            return s.value();
        }
        throw new IllegalArgumentException("pruning method '" + method + "' reaches a target sparsity; it takes no "
                + request.target());
    }
}
