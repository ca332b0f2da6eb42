package org.prunelab.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/**
 * A {@link StageContext} for stage-level tests: the config is resolved against the stage's declared
 * keys exactly as the pipeline does (so reading an undeclared key fails here too), upstream outputs
 * are plain directories, metrics and published artifacts are recorded for assertions.
 */
public final class TestStageContext implements StageContext {
    private final String stepName;
    private final StageConfig config;
    private final Path workDir;
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private CheckpointStore checkpoints;
    /** key -> (step -> value); the first value logged for a (key, step) wins, as in the pipeline. */
    public final Map<String, Map<Long, Double>> metrics = new TreeMap<>();
    public final List<String> artifacts = new ArrayList<>();

    public TestStageContext(Stage stage, String stepName, Map<String, Object> flatConfig, Path workDir) {
        this.stepName = stepName;
        this.config = StageConfig.resolve(stage.configKeys(), flatConfig, "test config");
        this.workDir = workDir;
        this.checkpoints = new DirectoryCheckpointStore(workDir.resolveSibling(workDir.getFileName() + "-ckpt"), 3,
                0, 0, Clock.systemUTC(), w -> { });
    }

    /** Declares the committed output directory of an upstream step. */
    public TestStageContext input(String step, Path dir) {
        inputs.put(step, dir);
        return this;
    }

    public TestStageContext checkpointStore(CheckpointStore store) {
        this.checkpoints = store;
        return this;
    }

    /** Runs the stage in this context (work dir created first, as the pipeline does); returns the work dir. */
    public Path run(Stage stage) throws Exception {
        Files.createDirectories(workDir);
        stage.run(this);
        return workDir;
    }

    /** The value logged for a metric at step 0 (final scores), or an assertion-friendly exception. */
    public double metric(String key) {
        return metric(key, 0);
    }

    public double metric(String key, long step) {
        Map<Long, Double> byStep = metrics.get(key);
        if (byStep == null || !byStep.containsKey(step)) {
            throw new AssertionError("metric '" + key + "' at step " + step + " was not logged; logged: "
                    + metrics.keySet());
        }
        return byStep.get(step);
    }

    @Override
    public String stepName() {
        return stepName;
    }

    @Override
    public StageConfig config() {
        return config;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Path inputDir(String upstreamStep) {
        Path dir = inputs.get(upstreamStep);
        if (dir == null) {
            throw new IllegalArgumentException("step '" + stepName + "' has no upstream '" + upstreamStep + "'");
        }
        return dir;
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public MetricSink metrics() {
        return (key, value, step) -> metrics.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(step, value);
    }

    @Override
    public void publishArtifact(String relativePath) {
        if (!Files.exists(workDir.resolve(relativePath))) {
            throw new AssertionError("published artifact " + relativePath + " does not exist in " + workDir);
        }
        artifacts.add(relativePath);
    }

    @Override
    public Progress progress() {
        return Progress.SILENT;
    }
}
