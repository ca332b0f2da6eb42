package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * A pruning rule that needs the family's {@link Curvature} (OBD, L-OBS) and may correct the surviving
 * weights. Called without curvature it fails with a message naming the rule, so a family that does
 * not compute curvature cannot use it by mistake.
 */
public interface SecondOrderPruning extends PruningMethod {
    PrunedLayers prune(List<MaskedGroup> groups, PruningRequest request, Curvature curvature);

    @Override
    default byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        throw new UnsupportedOperationException("pruning method '" + name()
                + "' needs second-order information (Curvature) that only a family such as the MLP provides");
    }

    /** The rate of a Rate or Sparsity request (a Count request is handled by the caller). */
    static double rateOf(List<MaskedGroup> groups, boolean[] included, PruningRequest request) {
        if (request.target() instanceof PruningRequest.Rate r) {
            return r.value();
        }
        return LayerPruning.rateFor(groups, included, ((PruningRequest.Sparsity) request.target()).value());
    }
}
