package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * {@code magnitude-per-unit}: within each taking-part group, every output unit (column) keeps the
 * same number of its largest-|w| incoming weights ({@link LotteryTicket#perUnitMagnitude}); the
 * lottery-ticket {@code scope: per-unit} of the RBM study.
 */
public final class PerUnitMagnitudePruning implements PruningMethod {
    @Override
    public String name() {
        return "magnitude-per-unit";
    }

    @Override
    public byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        double target = TakingPart.sparsityTarget(request, name());
        byte[][] masks = PruningMethod.currentMasks(groups);
        for (int l = 0; l < groups.size(); l++) {
            if (request.includes(l)) {
                MaskedGroup g = groups.get(l);
                masks[l] = LotteryTicket.perUnitMagnitude(g.weights(), g.mask(), g.rows(), g.cols(), target);
            }
        }
        return masks;
    }
}
