package org.prunelab.pipeline.executor.slurm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;

/** {@code prunelab status} and {@code prunelab cancel} for a sweep submitted to Slurm. */
public final class SlurmSweepJobs {
    private final SlurmClient slurm;
    private final StepStore store;

    public SlurmSweepJobs(SlurmClient slurm, StepStore store) {
        this.slurm = slurm;
        this.store = store;
    }

    /** Per submitted step: done, or its job's id and Slurm state, and for a job that ended badly its log. */
    public void printStatus(String sweepId, PrintStream out) throws IOException {
        Path file = SweepJobs.file(store.root(), sweepId);
        if (!Files.exists(file)) {
            return;
        }
        SweepJobs jobs = SweepJobs.load(store.root(), sweepId, null);
        Map<String, SlurmClient.JobState> states;
        String unreachable = null;
        try {
            states = slurm.states(allIds(jobs));
        } catch (IOException e) {
            states = Map.of();
            unreachable = e.getMessage();
        }
        out.printf(Locale.ROOT, "slurm jobs of sweep %s (%s)%s:%n", sweepId, file,
                unreachable == null ? "" : " -- Slurm did not answer: " + unreachable);
        int done = 0;
        List<Map.Entry<String, SweepJobs.StepJob>> rows = new ArrayList<>(jobs.steps().entrySet());
        // by point, then in the order the steps run
        rows.sort(java.util.Comparator.comparingInt((Map.Entry<String, SweepJobs.StepJob> e) -> e.getValue().point())
                .thenComparingLong(e -> Long.parseLong(e.getValue().jobId()))
                .thenComparingInt(e -> e.getValue().chain().indexOf(e.getValue().step())));
        for (Map.Entry<String, SweepJobs.StepJob> e : rows) {
            SweepJobs.StepJob job = e.getValue();
            if (isCommitted(job.kind(), e.getKey())) {
                done++;
                continue;
            }
            SlurmClient.JobState state = states.get(job.jobId());
            String shown = state == null ? (unreachable == null ? "GONE (no longer known to Slurm)" : "?")
                    : state.state() + (state.reason().isBlank() || state.reason().equals("None") ? ""
                    : " (" + state.reason() + ")") + (state.restarts() > 0 ? ", requeued " + state.restarts() + "x" : "");
            out.printf(Locale.ROOT, "  %-10s %-16s %s  point %-4d job %-8s %s%n", job.step(), job.kind(), e.getKey(),
                    job.point(), job.jobId(), shown);
            if (state == null || !state.active()) {
                out.println("             log: " + job.log() + lastLine(Path.of(job.log())));
            }
        }
        out.printf(Locale.ROOT, "  %d submitted step(s) done%s%n", done, jobs.finalizer() == null ? ""
                : "; finalising job " + jobs.finalizer() + ": " + describe(states.get(jobs.finalizer()), unreachable));
    }

    /** Cancels every queued or running job of the sweep; returns the cancelled job ids. */
    public List<String> cancel(String sweepId) throws IOException {
        if (!Files.exists(SweepJobs.file(store.root(), sweepId))) {
            throw new IOException("no Slurm jobs were submitted for sweep " + sweepId + " (no "
                    + SweepJobs.file(store.root(), sweepId) + ")");
        }
        SweepJobs jobs = SweepJobs.load(store.root(), sweepId, null);
        List<String> active = new ArrayList<>();
        for (SlurmClient.JobState state : slurm.states(allIds(jobs)).values()) {
            if (state.active()) {
                active.add(state.jobId());
            }
        }
        active.sort(null);
        slurm.cancel(active);
        return active;
    }

    private static Set<String> allIds(SweepJobs jobs) {
        Set<String> ids = new LinkedHashSet<>();
        jobs.steps().values().forEach(j -> ids.add(j.jobId()));
        if (jobs.finalizer() != null) {
            ids.add(jobs.finalizer());
        }
        return ids;
    }

    private boolean isCommitted(String kind, String shortId) {
        return Files.isRegularFile(store.committedDir(kind, shortId).resolve(StepManifest.FILE));
    }

    private static String describe(SlurmClient.JobState state, String unreachable) {
        return state == null ? (unreachable == null ? "no longer known to Slurm" : "?") : state.state();
    }

    private static String lastLine(Path log) {
        try {
            if (!Files.isRegularFile(log)) {
                return " (not written yet)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return "\n             last line: " + lines.get(i).trim();
                }
            }
            return " (empty)";
        } catch (IOException e) {
            return " (unreadable: " + e.getMessage() + ")";
        }
    }
}
