package org.prunelab.stages.prune;

/**
 * What a pruning rule that also corrects the surviving weights returns: the new masks and the new
 * weights (exactly 0 where the mask is 0), one array per group, or {@code weights == null} when the
 * rule leaves the weights as they are.
 */
public record PrunedLayers(byte[][] masks, double[][] weights) {
}
