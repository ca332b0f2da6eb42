package org.prunelab.stages.kernel;

import java.util.List;
import java.util.Locale;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * Where the Bernoulli draws of RBM training come from ({@code runtime.sampling}). {@code sequential},
 * the default, is the generator RBM training has always used: one {@link java.util.SplittableRandom}
 * per update, consumed one uniform per entry in index order by one thread, so the default changes no
 * result. {@code counter} draws each entry from the counter-based generator
 * ({@link org.prunelab.stages.random.CounterRandom}) at its own address (seed, epoch, batch, Gibbs
 * phase, row, unit), fused with the sigmoid and split over the kernel threads by
 * {@link SigmoidBernoulli}: the same distribution, other draws, hence other (equally valid) results.
 *
 * <p>Like {@code runtime.precision}, and unlike {@code runtime.threads}, it changes what a step
 * computes, so the RBM steps that train declare {@link #KEY} (it enters their identities) and at its
 * default it is left out of them (existing identities stay valid).
 */
public enum Sampling {
    SEQUENTIAL("sequential"),
    COUNTER("counter");

    /** The config values, in the order the key lists them. */
    public static final List<String> NAMES = List.of(SEQUENTIAL.configName, COUNTER.configName);

    /** {@code runtime.sampling}, declared by the RBM train, retrain and lth-iterative prune steps. */
    public static final ConfigKey<String> KEY = ConfigKey.choice("runtime.sampling", SEQUENTIAL.configName, NAMES,
            "Bernoulli draws of RBM training: sequential (one SplittableRandom stream per update, drawn in order "
                    + "on one thread) or counter (Philox4x32-10 keyed by seed, update, Gibbs phase, row and unit, "
                    + "fused with the sigmoid and split over runtime.threads, bit-identical at any thread count; its "
                    + "sigmoids use a polynomial exp that runs on the Java Vector API when the JVM has "
                    + "jdk.incubator.vector, with the same bits without it); part of step identities");

    private final String configName;

    Sampling(String configName) {
        this.configName = configName;
    }

    /** The value as written in configs, manifests and MLflow params. */
    public String configName() {
        return configName;
    }

    /** The sampling a stage that declared {@link #KEY} trains with. */
    public static Sampling of(StageConfig config) {
        return parse(config.get(KEY));
    }

    /** {@code sequential} or {@code counter}; anything else is refused with the accepted values. */
    public static Sampling parse(String name) {
        for (Sampling s : values()) {
            if (s.configName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown runtime.sampling '" + name + "', expected one of " + NAMES);
    }
}
