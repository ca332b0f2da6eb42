package org.prunelab.pipeline.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * Keys the engine itself reads. None of them changes what a step computes (resume is exact), so
 * none enters a step identity.
 */
public final class EngineSettings {
    public static final ConfigKey<String> EXPERIMENT = ConfigKey.string("experiment", "prunelab",
            "MLflow experiment name (one experiment per config)");
    public static final ConfigKey<String> PIPELINE = ConfigKey.choice("pipeline", "rbm", Pipelines.FAMILIES,
            "model family; selects the pipeline's stages");
    public static final ConfigKey<Integer> CHECKPOINT_EVERY_UPDATES = ConfigKey.integer(
            "runtime.checkpoint_every_updates", 0, 0, Integer.MAX_VALUE,
            "checkpoint every N parameter updates (0 = only by time and at epoch ends)");
    public static final ConfigKey<Integer> CHECKPOINT_EVERY_SECONDS = ConfigKey.integer(
            "runtime.checkpoint_every_seconds", 60, 0, Integer.MAX_VALUE,
            "also checkpoint when this many seconds passed since the last one (0 = never by time)");
    public static final ConfigKey<Integer> KEEP_CHECKPOINTS = ConfigKey.integer("runtime.keep_checkpoints", 3, 1, 1000,
            "how many checkpoints of a running step to keep");
    /**
     * Threads of the numeric kernels (GEMM, gathers, kept-weight loops). Each output element is
     * computed by one thread in a fixed order, so the same count gives bit-identical results; the
     * count is recorded (manifest environment, MLflow params {@code linalg.threads}) but, like the
     * other runtime keys, no part of any step identity.
     */
    public static final ConfigKey<Integer> THREADS = ConfigKey.integer("runtime.threads", 0, 0, 4096,
            "threads of the numeric kernels (0 = all cores); recorded, not part of step identities");
    /** MLflow refuses a run description (tag mlflow.note.content) longer than this. */
    public static final int MLFLOW_DESCRIPTION_LIMIT = 5000;
    public static final ConfigKey<String> DESCRIPTION = ConfigKey.text("description", "-", MLFLOW_DESCRIPTION_LIMIT,
            "free text shown as the MLflow run description");

    public static final List<ConfigKey<?>> KEYS = List.of(EXPERIMENT, PIPELINE, CHECKPOINT_EVERY_UPDATES,
            CHECKPOINT_EVERY_SECONDS, KEEP_CHECKPOINTS, THREADS, DESCRIPTION);

    private final StageConfig values;

    private EngineSettings(StageConfig values) {
        this.values = values;
    }

    public static EngineSettings resolve(Map<String, Object> flat, String source) {
        return new EngineSettings(StageConfig.resolve(KEYS, flat, source));
    }

    public static Set<String> names() {
        Set<String> names = new TreeSet<>();
        KEYS.forEach(k -> names.add(k.name()));
        return names;
    }

    public String experiment() {
        return values.get(EXPERIMENT);
    }

    public String pipeline() {
        return values.get(PIPELINE);
    }

    public int checkpointEveryUpdates() {
        return values.get(CHECKPOINT_EVERY_UPDATES);
    }

    public int checkpointEverySeconds() {
        return values.get(CHECKPOINT_EVERY_SECONDS);
    }

    public int keepCheckpoints() {
        return values.get(KEEP_CHECKPOINTS);
    }

    /** runtime.threads: 0 means all cores. */
    public int threads() {
        return values.get(THREADS);
    }

    public String description() {
        return values.get(DESCRIPTION);
    }
}
