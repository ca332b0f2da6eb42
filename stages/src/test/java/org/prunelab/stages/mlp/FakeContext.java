package org.prunelab.stages.mlp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;

/**
 * A minimal StageContext for driving a stage in a test: config resolved from a flat map, a real
 * {@link DirectoryCheckpointStore}, recorded metrics. {@code killAfterSaves} simulates a crash: the
 * n-th checkpoint is written, then the "process dies" (an exception unwinds the stage).
 */
public final class FakeContext implements StageContext {
    public final Path workDir;
    public final Map<String, Path> inputs;
    public final StageConfig config;
    public final Map<String, Double> metrics = new LinkedHashMap<>();
    public final List<String> artifacts = new ArrayList<>();
    private final CheckpointStore store;

    /** Thrown to simulate a kill; tests catch it. */
    public static final class Killed extends RuntimeException {
        Killed(int saves) {
            super("killed after checkpoint " + saves);
        }
    }

    public FakeContext(Stage stage, Map<String, Object> flatConfig, Path root, Map<String, Path> inputs,
                       long checkpointEvery, int killAfterSaves) throws IOException {
        this.workDir = Files.createDirectories(root.resolve("work"));
        this.inputs = inputs;
        this.config = StageConfig.resolve(stage.configKeys(), flatConfig, "test");
        CheckpointStore real = new DirectoryCheckpointStore(root.resolve("checkpoints"), 2, checkpointEvery, 0,
                Clock.systemUTC(), w -> { });
        this.store = killAfterSaves <= 0 ? real : new CheckpointStore() {
            int saves;

            @Override
            public Optional<Checkpoint> latest() throws IOException {
                return real.latest();
            }

            @Override
            public void save(Checkpoint checkpoint) throws IOException {
                real.save(checkpoint);
                if (++saves == killAfterSaves) {
                    throw new Killed(saves);
                }
            }

            @Override
            public boolean due(long position) {
                return real.due(position);
            }
        };
    }

    @Override
    public String stepName() {
        return "test-step";
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
        Path p = inputs.get(upstreamStep);
        if (p == null) {
            throw new IllegalArgumentException("no upstream step " + upstreamStep);
        }
        return p;
    }

    @Override
    public CheckpointStore checkpoints() {
        return store;
    }

    @Override
    public MetricSink metrics() {
        return (key, value, step) -> metrics.put(key + "@" + step, value);
    }

    @Override
    public void publishArtifact(String relativePath) {
        artifacts.add(relativePath);
    }

    @Override
    public Progress progress() {
        return Progress.SILENT;
    }
}
