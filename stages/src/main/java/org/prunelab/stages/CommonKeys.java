package org.prunelab.stages;

import org.prunelab.stages.config.ConfigKey;

/**
 * Keys several stages read. A stage that uses randomness declares {@link #SEED} and derives its
 * streams from it and its own config section (both inside its identity), never from anything
 * outside the identity such as the step's name.
 */
public final class CommonKeys {
    private CommonKeys() {
    }

    public static final ConfigKey<Long> SEED = ConfigKey.longInt("seed", 1L, "base random seed of the run");
}
