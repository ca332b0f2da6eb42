package org.prunelab.pipeline.executor.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.store.Json;

/**
 * What was submitted for a sweep, {@code runs/slurm/<sweep>/jobs.json}: the job of every unfinished
 * step (keyed by the step's short identity) and the job that finalises the sweep. Re-running the
 * sweep command reads it to submit only what is neither done nor queued or running; {@code status}
 * and {@code cancel} read it to find the sweep's jobs.
 */
public record SweepJobs(String sweepId, String config, Map<String, StepJob> steps, String finalizer) {

    /** The job that runs a step (as part of the chain {@code chain}), and where its log goes. */
    public record StepJob(String jobId, String step, String kind, int point, List<String> chain, String log,
                          String submittedAt) { }

    public static Path dir(Path runsRoot, String sweepId) {
        return runsRoot.resolve("slurm").resolve(sweepId);
    }

    public static Path file(Path runsRoot, String sweepId) {
        return dir(runsRoot, sweepId).resolve("jobs.json");
    }

    public static SweepJobs load(Path runsRoot, String sweepId, String config) throws IOException {
        Path file = file(runsRoot, sweepId);
        if (!Files.exists(file)) {
            return new SweepJobs(sweepId, config, new TreeMap<>(), null);
        }
        SweepJobs jobs = Json.read(file, SweepJobs.class);
        return new SweepJobs(jobs.sweepId(), jobs.config(), new TreeMap<>(jobs.steps()), jobs.finalizer());
    }

    public void save(Path runsRoot) throws IOException {
        Json.writeAtomically(file(runsRoot, sweepId), this);
    }

    public SweepJobs withFinalizer(String jobId) {
        return new SweepJobs(sweepId, config, steps, jobId);
    }
}
