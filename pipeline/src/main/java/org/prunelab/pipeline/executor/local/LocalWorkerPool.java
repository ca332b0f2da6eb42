package org.prunelab.pipeline.executor.local;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.engine.StepPool;
import org.prunelab.pipeline.engine.SweepTrack;
import org.prunelab.pipeline.executor.StepGraph;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.pipeline.plan.Plan;

/**
 * {@code sweep --jobs N} on one machine: the sweep's deduplicated step graph (the one a Slurm sweep
 * submits) run by N worker JVMs, each a {@link WorkerLoop}. A chain starts as soon as its inputs are
 * committed and a worker is free; the numeric kernels of each worker get an equal share of the cores
 * (unless the config sets {@code runtime.threads}), which is faster than one process using them all
 * when a step is too small to keep several threads busy (a 64-unit RBM, an MLP). Results are the
 * same bits as a sequential sweep's at the same thread count; the GEMM's sums depend on the count,
 * so at cores / N threads they differ from an all-cores sweep in the last bits (the count is recorded
 * with every step, as the machine is).
 */
public final class LocalWorkerPool implements StepPool {
    private final int jobs;
    private final List<String> workerCommand;
    private final Map<String, String> workerEnvironment;
    private final PrintStream out;

    /**
     * @param workerCommand     starts {@code prunelab worker} against the same runs directory
     * @param workerEnvironment added to the workers' environment (the tracking server's URI)
     */
    public LocalWorkerPool(int jobs, List<String> workerCommand, Map<String, String> workerEnvironment,
                           PrintStream out) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
        this.jobs = jobs;
        this.workerCommand = List.copyOf(workerCommand);
        this.workerEnvironment = Map.copyOf(workerEnvironment);
        this.out = out;
    }

    /** Threads per worker when the config leaves {@code runtime.threads} at 0 (all cores): an equal share. */
    private static int threadsPerWorker(int jobs) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }

    @Override
    public Map<String, String> computeAll(List<SweepExpansion.Point> points, List<Plan> plans, SweepTrack sweep)
            throws Exception {
        Map<Integer, Plan> byIndex = new LinkedHashMap<>();
        Map<Integer, SweepExpansion.Point> pointOf = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            byIndex.put(points.get(i).index(), plans.get(i));
            pointOf.put(points.get(i).index(), points.get(i));
        }
        StepGraph graph = StepGraph.of(byIndex);
        if (graph.isEmpty()) {
            return Map.of();
        }
        ChainSchedule schedule = new ChainSchedule(graph.chains());
        int workers = Math.min(jobs, graph.chains().size());
        synchronized (out) {
            out.printf(Locale.ROOT, "  local pool: %d unfinished steps in %d chains, on %d worker processes%n",
                    graph.nodes().size(), graph.chains().size(), workers);
        }
        new Run(schedule, pointOf, sweep, workers).execute();
        return schedule.failures();
    }

    /** One pool run: its workers, what each is doing, and the events they send. */
    private final class Run {
        private final ChainSchedule schedule;
        private final Map<Integer, SweepExpansion.Point> pointOf;
        private final SweepTrack sweep;
        private final int maxWorkers;
        private final BlockingQueue<WorkerProcess.Event> events = new LinkedBlockingQueue<>();
        private final List<WorkerProcess> live = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Deque<WorkerProcess> idle = new ArrayDeque<>();
        private final Map<WorkerProcess, Integer> running = new HashMap<>();
        private int started;
        private int done;
        private String startFailure;

        Run(ChainSchedule schedule, Map<Integer, SweepExpansion.Point> pointOf, SweepTrack sweep, int maxWorkers) {
            this.schedule = schedule;
            this.pointOf = pointOf;
            this.sweep = sweep;
            this.maxWorkers = maxWorkers;
        }

        void execute() throws Exception {
            // Ctrl-C reaches the workers through the terminal; a kill of this process alone must reach them too.
            Thread hook = new Thread(() -> live.forEach(WorkerProcess::stop), "prunelab-pool-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                while (true) {
                    dispatch();
                    if (running.isEmpty()) {
                        break;
                    }
                    handle(events.take());
                }
            } finally {
                for (WorkerProcess w : live) {
                    w.finish();
                }
                for (WorkerProcess w : live) {
                    w.awaitExit(120);
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // already shutting down: the hook stops the workers
                }
            }
        }

        /** Gives every ready chain a free worker, starting workers up to the limit. */
        private void dispatch() throws IOException {
            for (int c = schedule.next(); c >= 0; c = schedule.next()) {
                WorkerProcess worker = idle.poll();
                if (worker == null && live.size() < maxWorkers && startFailure == null) {
                    worker = WorkerProcess.start(++started, workerCommand, workerEnvironment, out, events);
                    live.add(worker);
                }
                if (worker == null) {
                    if (live.isEmpty() && startFailure != null) {
                        schedule.abandonWaiting("no worker could start: " + startFailure);
                    }
                    return;
                }
                schedule.started(c);
                running.put(worker, c);
                StepGraph.Chain chain = schedule.chain(c);
                SweepExpansion.Point point = pointOf.get(chain.point());
                synchronized (out) {
                    out.printf(Locale.ROOT, "  [w%d] chain %d/%d: point %d (%s), %s%n", worker.number(), c + 1,
                            schedule.size(), chain.point(), point.label(), String.join(", ", chain.stepNames()));
                }
                worker.send(request(c, chain, point));
            }
        }

        private WorkerMessages.ChainRequest request(int c, StepGraph.Chain chain, SweepExpansion.Point point) {
            Map<String, Object> config = new TreeMap<>(point.config().flat());
            EngineSettings engine = EngineSettings.resolve(config, point.config().source());
            if (engine.threads() == 0) {
                // Not part of any step identity: the worker computes the same steps, on its share of the cores.
                config.put(EngineSettings.THREADS.name(), threadsPerWorker(jobs));
            }
            return new WorkerMessages.ChainRequest(c, chain.point(), point.config().file() == null ? null
                    : point.config().file().toString(), point.config().source(), config, chain.stepNames(),
                    chain.shortIds(), new WorkerMessages.SweepRun(sweep.sweepId(), sweep.experiment(),
                    sweep.description(), sweep.params()));
        }

        private void handle(WorkerProcess.Event event) {
            if (event instanceof WorkerProcess.Replied replied) {
                WorkerProcess worker = replied.worker();
                Integer c = running.remove(worker);
                if (c == null || c != replied.reply().chain()) {
                    throw new IllegalStateException("worker " + worker.number() + " answered for chain "
                            + replied.reply().chain() + " but runs " + c);
                }
                WorkerMessages.ChainReply reply = replied.reply();
                if (reply.ok()) {
                    schedule.done(c);
                    done++;
                } else if (reply.busy()) {
                    report(worker, c, "left to the other process: " + reply.error());
                    schedule.leftToOtherProcess(c);
                } else {
                    report(worker, c, "FAILED: " + reply.error());
                    schedule.failed(c, reply.error());
                }
                idle.add(worker);
            } else if (event instanceof WorkerProcess.Exited exited) {
                WorkerProcess worker = exited.worker();
                live.remove(worker);
                idle.remove(worker);
                Integer c = running.remove(worker);
                String why = "worker " + worker.number() + " exited with code " + exited.exitCode()
                        + (c == null ? "" : " while running chain " + (c + 1)) + " (its output is above)";
                if (c != null) {
                    report(worker, c, "FAILED: " + why);
                    schedule.failed(c, why);
                }
                boolean killed = exited.exitCode() > 128; // 128 + signal: stopped from outside, not broken
                if (!worker.repliedOnce() && done == 0 && !killed) {
                    startFailure = why; // it never started: do not start the next one the same way
                }
            }
        }

        private void report(WorkerProcess worker, int c, String what) {
            synchronized (out) {
                out.printf(Locale.ROOT, "  [w%d] chain %d/%d: %s%n", worker.number(), c + 1, schedule.size(), what);
            }
        }
    }
}
