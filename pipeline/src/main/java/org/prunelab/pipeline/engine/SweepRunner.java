package org.prunelab.pipeline.engine;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepLock;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.Outcome;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.Progress;

/**
 * Runs every point of a grid config in a fixed order. Steps shared between points are computed
 * once (the later points find them committed); a failed point is recorded and the sweep goes on; a
 * point whose step another process is running is left for that process. Re-running the same
 * command continues where it stopped: finished points cost only a plan. With a {@link StepPool}
 * (`sweep --jobs N`) the unfinished steps are computed by the pool first, several at a time, and
 * the walk then reuses them.
 */
public final class SweepRunner {
    private final StepStore store;
    private final Planner planner;
    private final PipelineTracking tracking;
    private final PrintStream out;
    private final Progress progress;
    private final StepPool pool;

    public SweepRunner(StepStore store, Planner planner, PipelineTracking tracking, PrintStream out, Progress progress) {
        this(store, planner, tracking, out, progress, null);
    }

    /** @param pool computes the unfinished steps first, several at a time; null: the walk computes them */
    public SweepRunner(StepStore store, Planner planner, PipelineTracking tracking, PrintStream out, Progress progress,
                       StepPool pool) {
        this.store = store;
        this.planner = planner;
        this.tracking = tracking;
        this.out = out;
        this.progress = progress;
        this.pool = pool;
    }

    /** How long the pool waits for the sweep run's creation to reach MLflow, so its workers adopt it. */
    private static final java.time.Duration SWEEP_RUN_WAIT = java.time.Duration.ofSeconds(30);

    /** One point's outcome: its swept values and, when done, each step's manifest. */
    public record PointResult(int index, Map<String, Object> axes, SweepLedger.State state,
                              Map<String, org.prunelab.pipeline.store.StepManifest> manifests) { }

    public record Result(String sweepId, int points, int computed, int reused, int failed, int busy,
                         List<PointResult> results, String trackingRef) {
        public boolean success() {
            return failed == 0 && busy == 0;
        }
    }

    public Result run(ExperimentConfig config) throws Exception {
        return run(config, null);
    }

    /**
     * @param parent an existing sweep run to report under (a study's, also for its refinement rounds),
     *               or null to open this sweep's own run
     */
    public Result run(ExperimentConfig config, SweepTrack parent) throws Exception {
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        String sweepId = SweepExpansion.sweepId(config);
        List<Plan> plans = new ArrayList<>();
        for (SweepExpansion.Point point : points) {
            plans.add(planner.plan(point.config())); // every point is checked before anything runs
        }
        SweepLedger ledger = SweepLedger.load(store.root(), sweepId, config.source());
        String experiment = plans.get(0).experimentName();
        out.printf(Locale.ROOT, "prunelab sweep %s: %d points of experiment '%s', outputs in %s%n", sweepId,
                points.size(), experiment, store.root());
        SweepTrack track = parent;
        boolean ownRun = parent == null;
        if (ownRun) {
            Map<String, String> params = new LinkedHashMap<>();
            config.flat().forEach((k, v) -> params.put(k, String.valueOf(v)));
            params.put("sweep.points", Integer.toString(points.size()));
            String description = "sweep of " + config.source();
            track = new SweepTrack(tracking.openSweep(sweepId, experiment, description, params), sweepId, experiment,
                    description, params);
        }
        String sweepRef = track.ref();
        int computed = 0;
        int reused = 0;
        int failed = 0;
        int busy = 0;
        List<PointResult> results = new ArrayList<>();
        double computeSeconds = 0;
        int computedPoints = 0;
        try (Progress.Task task = progress.start("sweep", points.size(), 0)) {
            Map<String, String> pooledFailures = Map.of();
            if (pool != null && plans.stream().anyMatch(p -> !p.nothingToDo())) {
                tracking.awaitSweepRun(SWEEP_RUN_WAIT); // so the workers adopt it instead of making another
                pooledFailures = pool.computeAll(points, plans, track);
            }
            for (int i = 0; i < points.size(); i++) {
                SweepExpansion.Point point = points.get(i);
                // Re-plan unless nothing was left to do: earlier points may have committed shared steps.
                Plan plan = plans.get(i).nothingToDo() ? plans.get(i) : planner.plan(point.config());
                // After a pool the walk only reuses: its own seconds say nothing about what is left.
                String eta = computedPoints == 0 || pool != null ? "" : String.format(Locale.ROOT,
                        ", about %.0f s left", computeSeconds / computedPoints * remainingToCompute(plans, i));
                progress.endLine(); // the sweep's progress line must not swallow the header
                out.printf(Locale.ROOT, "[%d/%d] %s  (pipeline %s%s)%n", i + 1, points.size(), point.label(),
                        plan.pipelineId(), eta);
                long t0 = System.nanoTime();
                SweepLedger.State state;
                String error = null;
                Map<String, org.prunelab.pipeline.store.StepManifest> manifests = Map.of();
                String pooledFailure = failureOf(plans.get(i), pooledFailures);
                if (pooledFailure != null) {
                    out.println("    FAILED: " + pooledFailure);
                    state = SweepLedger.State.FAILED;
                    error = pooledFailure;
                    failed++;
                } else {
                    try {
                        boolean pooled = pool != null && !plans.get(i).nothingToDo(); // its workers computed it
                        PipelineRunner runner = new PipelineRunner(store, planner, tracking, out, progress);
                        PipelineRunner.Result result = (pooled ? runner.withoutReuseLines() : runner).run(plan);
                        state = SweepLedger.State.DONE;
                        manifests = result.manifests();
                        if (pooled && result.computed().isEmpty()) {
                            out.printf(Locale.ROOT, "  all %d steps committed (the workers above computed what was missing)%n",
                                    result.manifests().size());
                        }
                        if (result.computed().isEmpty() && !pooled) {
                            reused++;
                        } else {
                            computed++;
                            computedPoints++;
                            computeSeconds += (System.nanoTime() - t0) / 1e9;
                        }
                    } catch (StepLock.StepBusyException e) {
                        out.println("    left to the other process: " + e.getMessage());
                        state = SweepLedger.State.PENDING;
                        busy++;
                    } catch (PipelineRunner.StepFailedException e) {
                        out.println("    FAILED: " + e.getMessage());
                        state = SweepLedger.State.FAILED;
                        error = e.getMessage();
                        failed++;
                    }
                }
                results.add(new PointResult(point.index(), point.axes(), state, manifests));
                SweepLedger.Entry previous = ledger.entry(point.index());
                if (previous == null || previous.state() != state || !plan.pipelineId().equals(previous.pipelineId())) {
                    ledger = ledger.with(new SweepLedger.Entry(point.index(), point.axes(), plan.pipelineId(), state,
                            error, (System.nanoTime() - t0) / 1e9, Instant.now().toString()));
                    ledger.save(store.root());
                }
                task.step(1);
            }
        } finally {
            if (sweepRef != null && ownRun) {
                tracking.finishSweep(sweepRef,
                        failed == 0 && busy == 0 ? Outcome.FINISHED : Outcome.FAILED);
            }
        }
        Result result = new Result(sweepId, points.size(), computed, reused, failed, busy, results, sweepRef);
        progress.endLine();
        out.printf(Locale.ROOT, "sweep %s: %d points: %d computed now, %d reused entirely, %d failed, %d left to"
                + " another process%n", sweepId, result.points(), computed, reused, failed, busy);
        return result;
    }

    /** Why the pool could not compute one of the plan's steps, or null when it computed them all. */
    private static String failureOf(Plan plan, Map<String, String> pooledFailures) {
        if (pooledFailures.isEmpty()) {
            return null;
        }
        for (org.prunelab.pipeline.plan.PlannedStep step : plan.steps()) {
            String error = pooledFailures.get(step.identity().hash());
            if (error != null && step.action() != org.prunelab.pipeline.plan.PlannedStep.Action.REUSE) {
                return error;
            }
        }
        return null;
    }

    /** Points after i that still have a step to compute (as planned before the sweep started). */
    private static int remainingToCompute(List<Plan> plans, int i) {
        int n = 0;
        for (int j = i; j < plans.size(); j++) {
            if (!plans.get(j).nothingToDo()) {
                n++;
            }
        }
        return n;
    }
}
