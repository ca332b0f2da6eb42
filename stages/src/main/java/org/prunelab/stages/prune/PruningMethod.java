package org.prunelab.stages.prune;

import java.util.List;
import org.prunelab.stages.core.MaskedGroup;

/**
 * One pruning rule over masked weight groups of any family: it reads the groups' weights and masks
 * and returns lowered masks (copies, one per group; groups not taking part keep theirs). Pruning
 * never revives a connection. Registered by name in {@link PruningMethods}.
 */
public interface PruningMethod {
    /** The registry name, e.g. {@code magnitude}. */
    String name();

    byte[][] prune(List<MaskedGroup> groups, PruningRequest request);

    /** Copies of the groups' current masks: the starting point of every rule. */
    static byte[][] currentMasks(List<MaskedGroup> groups) {
        byte[][] masks = new byte[groups.size()][];
        for (int l = 0; l < masks.length; l++) {
            masks[l] = groups.get(l).mask().clone();
        }
        return masks;
    }
}
