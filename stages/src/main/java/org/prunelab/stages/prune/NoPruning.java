package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/** {@code none}: the masks pass through unchanged. */
public final class NoPruning implements PruningMethod {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public byte[][] prune(List<MaskedGroup> groups, PruningRequest request) {
        return PruningMethod.currentMasks(groups);
    }
}
