package org.prunelab.pipeline.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.io.CheckpointStore;

/** The {@link StageContext} of one running step. */
final class RunningStageContext implements StageContext {
    private final String stepName;
    private final StageConfig config;
    private final Path workDir;
    private final Map<String, Path> inputs;
    private final CheckpointStore checkpoints;
    private final MetricSink sink;
    private final Progress progress;
    private final List<String> artifacts = new ArrayList<>();
    private final Map<String, Double> lastValues = Collections.synchronizedMap(new TreeMap<>());

    RunningStageContext(String stepName, StageConfig config, Path workDir, Map<String, Path> inputs,
                        CheckpointStore checkpoints, MetricSink sink, Progress progress) {
        this.stepName = stepName;
        this.config = config;
        this.workDir = workDir;
        this.inputs = inputs;
        this.checkpoints = checkpoints;
        this.sink = sink;
        this.progress = progress;
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
            throw new IllegalStateException("step '" + stepName + "' did not declare '" + upstreamStep
                    + "' as upstream; declared: " + inputs.keySet());
        }
        return dir;
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public MetricSink metrics() {
        return (key, value, step) -> {
            lastValues.put(key, value);
            sink.log(key, value, step);
        };
    }

    @Override
    public void publishArtifact(String relativePath) {
        Path resolved = workDir.resolve(relativePath).normalize();
        if (!resolved.startsWith(workDir) || relativePath.contains("..")) {
            throw new IllegalArgumentException("artifact path escapes the step's directory: " + relativePath);
        }
        synchronized (artifacts) {
            if (!artifacts.contains(relativePath)) {
                artifacts.add(relativePath);
            }
        }
    }

    @Override
    public Progress progress() {
        return progress;
    }

    List<String> artifacts() {
        synchronized (artifacts) {
            return List.copyOf(artifacts);
        }
    }

    Map<String, Double> lastValues() {
        return new TreeMap<>(lastValues);
    }
}
