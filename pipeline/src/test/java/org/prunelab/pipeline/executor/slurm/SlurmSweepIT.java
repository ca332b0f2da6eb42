package org.prunelab.pipeline.executor.slurm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * The Slurm executor against a real cluster ({@code make test-slurm}: the single-node Slurm of
 * {@code make slurm-up}, found through SLURM_CONF, and the real MLflow server of the test run).
 *
 * <p>A 2 seeds x 2 sparsities sweep: each seed's dense training is shared by two points. While the
 * two dense jobs train, one is killed with {@code scancel --signal=KILL} and the other gets the
 * time-limit warning (USR1), checkpoints and requeues itself. Re-running the sweep command resubmits
 * the killed chain and its dependants and keeps the rest. Then: every step completed exactly once,
 * every tensor is bit-identical to the local executor's, and MLflow holds one run per step with
 * every metric step exactly once.
 */
class SlurmSweepIT {
    private static final Duration SWEEP_LIMIT = Duration.ofMinutes(10);
    /**
     * Long enough that both dense trainings are still running when the test interrupts them: with
     * 8 epochs, the GEMM kernels finished a training in the seconds between its second checkpoint
     * and the kill, and nothing was left to interrupt.
     */
    private static final int DENSE_EPOCHS = 40;

    @TempDir
    Path work;

    private Path config;
    private Path runs;

    @AfterEach
    void cancelLeftovers() {
        if (config != null && runs != null) {
            TinyConfigs.cli("cancel", config.toString(), "--runs-dir", runs.toString());
        }
    }

    @Test
    void killedAndPreemptedJobsEndBitIdenticalToTheLocalExecutorWithEveryMetricStepOnce() throws Exception {
        assertNotNull(System.getenv("SLURM_CONF"), "SLURM_CONF is not set: run this test with 'make test-slurm',"
                + " which starts the local cluster (make slurm-up)");
        String uri = TestEnvironment.trackingUri();
        String experiment = "it-slurm-" + UUID.randomUUID().toString().substring(0, 8);
        config = TinyConfigs.write(work, "slurm-sweep.yaml", experiment,
                "data: {dir: '" + TestEnvironment.mnistDir() + "', train_limit: 2000, test_limit: 100}",
                "seed: [1, 2]",
                "model: {hidden: 32}",
                "train: {epochs: " + DENSE_EPOCHS + ", batch_size: 20, k: 3, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.8]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "evaluate: {samples: 2, gibbs_sweeps: 2, pll_samples: 20, exact_max_units: 0}",
                "runtime: {checkpoint_every_updates: 25}",
                "slurm: {time: '00:20:00'}");
        runs = work.resolve("runs");
        String sweepId = SweepExpansion.sweepId(ExperimentConfig.of(config, "t",
                SlurmOptions.withoutSlurmKeys(ExperimentConfig.load(config, List.of()).flat())));

        var submit = TinyConfigs.cli("sweep", config.toString(), "--executor", "slurm", "--runs-dir", runs.toString(),
                "--tracking-uri", uri);
        assertEquals(0, submit.code(), submit.output());
        SweepJobs jobs = SweepJobs.load(runs, sweepId, null);
        List<SweepJobs.StepJob> dense = jobs.steps().values().stream().filter(j -> j.step().equals("train")).toList();
        assertEquals(2, dense.size(), "one dense training per seed, shared by its two points: " + jobs.steps());
        assertEquals(2, new HashSet<>(dense.stream().map(SweepJobs.StepJob::jobId).toList()).size());
        // load-data (shared by all), 2 dense chains init -> prune-1 -> train (each shared by two
        // points, so it ends its chain), 4 per-point chains prune-2 -> retrain -> evaluate
        assertEquals(7, new HashSet<>(jobs.steps().values().stream().map(SweepJobs.StepJob::jobId).toList()).size(),
                submit.output());
        // The tracking URI (which may carry credentials) reaches the jobs through their environment only:
        // a job's command line is visible to every user of the cluster (scontrol, ps on the node).
        for (String jobId : new TreeSet<>(jobs.steps().values().stream().map(SweepJobs.StepJob::jobId).toList())) {
            String job = slurm("scontrol", "show", "job", jobId);
            assertTrue(job.contains("run-steps"), job);
            assertFalse(job.contains(uri), "job " + jobId + " shows the tracking URI:\n" + job);
        }

        // Both dense trainings have checkpoints (and delivered some epochs' metrics): interrupt them.
        String killed = dense.get(0).jobId();
        String preempted = dense.get(1).jobId();
        Map<String, String> trainIds = new TreeMap<>();
        jobs.steps().forEach((id, j) -> {
            if (j.step().equals("train")) {
                trainIds.put(j.jobId(), id);
            }
        });
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() ->
                checkpoints(trainIds.get(killed)) >= 2 && checkpoints(trainIds.get(preempted)) >= 2);
        Thread.sleep(3000); // let the background flusher deliver the epochs logged so far
        slurm("scancel", "--signal=KILL", killed);
        slurm("scancel", "--signal=USR1", "--batch", preempted);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                state(killed).matches("CANCELLED|FAILED") && restarts(preempted) == 1);
        // Slurm holds a requeued job for two minutes before it may start again; let it start now, and wait
        // until it runs again: between the requeue and the restart the job passes through states that
        // squeue reports in ways that have varied (one CI rehearsal saw the sweep command treat the job as
        // gone and resubmit its chain), and the property tested here is that a live requeued job is kept.
        slurm("scontrol", "update", "JobId=" + preempted, "StartTime=now");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                state(preempted).matches("RUNNING|COMPLETING|COMPLETED"));

        var again = TinyConfigs.cli("sweep", config.toString(), "--executor", "slurm", "--runs-dir", runs.toString(),
                "--tracking-uri", uri);
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("kept"), again.output());
        SweepJobs resubmitted = SweepJobs.load(runs, sweepId, null);
        assertFalse(resubmitted.steps().get(trainIds.get(killed)).jobId().equals(killed),
                "the killed dense chain is resubmitted:\n" + again.output());
        assertEquals(preempted, resubmitted.steps().get(trainIds.get(preempted)).jobId(),
                "the requeued job is kept, not resubmitted:\n" + again.output() + "\nsqueue now:\n"
                        + slurm("squeue", "--noheader", "--states=all", "--Format=JobID:|,State:|,Reason:|,RestartCnt:"));

        Path ledger = runs.resolve("sweeps").resolve(sweepId + ".json");
        await().atMost(SWEEP_LIMIT).pollInterval(Duration.ofSeconds(2)).until(() -> Files.exists(ledger)
                && Files.readString(ledger).split("\"DONE\"", -1).length - 1 == 4 && finished(resubmitted.finalizer()));

        // Every step completed once: one "done" line per committed step over all job logs, and the
        // finalising job computed nothing.
        Map<String, Path> committed = committedSteps(runs);
        String logs = allLogs(runs.resolve("slurm").resolve(sweepId).resolve("logs"));
        assertEquals(committed.size(), count(logs, Pattern.compile("(?m)^  \\S+\\s+done      in ")), logs);
        assertTrue(logs.contains("0 computed now, 4 reused entirely"), logs);
        assertTrue(logs.contains("stopped by a signal: checkpoint saved"), logs);
        assertEquals(2, manifest(committed.get(trainIds.get(killed))).attempts(), "killed once, resumed once");
        assertEquals(2, manifest(committed.get(trainIds.get(preempted))).attempts(), "requeued once, resumed once");

        // Bit-identical to the local executor.
        Path local = work.resolve("local-runs");
        var reference = TinyConfigs.cli("sweep", config.toString(), "--runs-dir", local.toString(), "--no-tracking");
        assertEquals(0, reference.code(), reference.output());
        Map<String, Path> expected = committedSteps(local);
        assertEquals(expected.keySet(), committed.keySet(), "the same steps, by identity");
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            assertEquals(tensors(manifest(e.getValue())), tensors(manifest(committed.get(e.getKey()))),
                    "tensors of step " + e.getKey() + " differ from the local executor's");
        }

        // MLflow: one sweep run, one run per point and per step, each metric step exactly once.
        TrackingClient client = MlflowTracking.connect(uri);
        String experimentId = client.findExperiment(experiment).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<RunInfo> sweeps = client.searchRuns(List.of(experimentId), "tags.`pipeline.sweep_id` = '" + sweepId + "'");
            assertEquals(1, sweeps.size());
            assertEquals(RunStatus.FINISHED, sweeps.get(0).status());
            List<RunInfo> steps = client.searchRuns(List.of(experimentId), "tags.`pipeline.step_key` != ''");
            assertEquals(committed.size(), steps.size(), "one run per step identity");
            assertTrue(steps.stream().allMatch(r -> r.status() == RunStatus.FINISHED), "every step run finished");
        });
        assertEquals(4 + 1 + committed.size(), client.searchRuns(List.of(experimentId), "").size(),
                "a sweep run, 4 pipeline runs, one run per step");
        List<RunInfo> trainRuns = client.searchRuns(List.of(experimentId), "tags.`pipeline.step` = 'train'");
        assertEquals(2, trainRuns.size());
        for (RunInfo run : client.searchRuns(List.of(experimentId), "tags.`pipeline.step_key` != ''")) {
            for (String key : run.latestMetrics().keySet()) {
                List<Long> steps = client.metricHistory(run.runId(), key).stream().map(MetricPoint::step).toList();
                assertEquals(new HashSet<>(steps).size(), steps.size(),
                        "metric " + key + " of run " + run.runName() + " has a step twice: " + steps);
            }
        }
        for (RunInfo run : trainRuns) {
            List<Long> pll = client.metricHistory(run.runId(), "pll").stream().map(MetricPoint::step).sorted().toList();
            assertEquals(LongStream.rangeClosed(1, DENSE_EPOCHS).boxed().toList(), pll, "every epoch once, interrupted or not");
        }
    }

    private long checkpoints(String shortId) throws Exception {
        Path dir = runs.resolve("work").resolve(shortId).resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count();
        }
    }

    private static String slurm(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static String jobField(String jobId, String field) throws Exception {
        Matcher m = Pattern.compile("\\b" + field + "=(\\S+)").matcher(slurm("scontrol", "show", "job", jobId));
        return m.find() ? m.group(1) : "";
    }

    private static String state(String jobId) throws Exception {
        return jobField(jobId, "JobState");
    }

    private static int restarts(String jobId) throws Exception {
        String r = jobField(jobId, "Restarts");
        return r.isEmpty() ? 0 : Integer.parseInt(r);
    }

    private static boolean finished(String jobId) throws Exception {
        return state(jobId).equals("COMPLETED");
    }

    /** Committed step directories by short identity. */
    private static Map<String, Path> committedSteps(Path runs) throws Exception {
        Map<String, Path> steps = new TreeMap<>();
        try (var walk = Files.walk(runs.resolve("steps"), 2)) {
            for (Path dir : walk.filter(d -> Files.isRegularFile(d.resolve(StepManifest.FILE))).toList()) {
                steps.put(dir.getFileName().toString(), dir);
            }
        }
        return steps;
    }

    private static StepManifest manifest(Path dir) throws Exception {
        return Json.read(dir.resolve(StepManifest.FILE), StepManifest.class);
    }

    /** SHA-256 of every tensor a step wrote (reports and timings may differ; numbers may not). */
    private static Map<String, String> tensors(StepManifest manifest) {
        Map<String, String> out = new TreeMap<>();
        manifest.outputs().forEach((file, f) -> {
            if (file.endsWith(".npy")) {
                out.put(file, f.sha256());
            }
        });
        assertFalse(out.isEmpty() && manifest.kind().equals("rbm.train"), "no tensors in " + manifest.step());
        return out;
    }

    private static String allLogs(Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        try (var list = Files.list(dir)) {
            for (Path log : list.sorted().toList()) {
                texts.add("==> " + log.getFileName() + "\n" + Files.readString(log));
            }
        }
        return String.join("\n", texts);
    }

    private static int count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
