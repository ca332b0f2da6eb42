package org.prunelab.pipeline.executor.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.engine.ConsoleProgress;
import org.prunelab.pipeline.engine.PipelineRunner;
import org.prunelab.pipeline.executor.SubmittedSteps;
import org.prunelab.pipeline.executor.local.WorkerMessages.ChainReply;
import org.prunelab.pipeline.executor.local.WorkerMessages.ChainRequest;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepLock;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.config.ErrorMessages;

/**
 * The worker side of {@code sweep --jobs N} ({@code prunelab worker}): reads chain requests from
 * stdin, one per line, runs each chain's steps exactly as a cluster job's {@code run-steps} does, and
 * answers with one reply line. One JVM serves many chains, so its JIT-compiled kernels, loaded data
 * and code fingerprints are paid for once, not per step. It stops when stdin closes.
 */
public final class WorkerLoop {
    private final StepStore store;
    private final Planner planner;
    private final PipelineTracking tracking;
    private final PrintStream out;
    private String openedSweep;

    public WorkerLoop(StepStore store, PipelineTracking tracking, PrintStream out) {
        this.store = store;
        this.planner = new Planner(store);
        this.tracking = tracking;
        this.out = out;
    }

    /** Serves requests until stdin closes; a request that fails is answered, never fatal. */
    public void serve(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            ChainReply reply;
            try {
                reply = run(WorkerMessages.parse(line, ChainRequest.class));
            } catch (IllegalArgumentException e) {
                reply = ChainReply.failed(-1, "unreadable request: " + e.getMessage());
            }
            out.println(WorkerMessages.REPLY_PREFIX + WorkerMessages.line(reply));
            out.flush();
        }
    }

    ChainReply run(ChainRequest request) {
        try {
            Path file = request.file() == null ? null : Path.of(request.file());
            ExperimentConfig config = ExperimentConfig.of(file, request.source(), request.config());
            Plan plan = planner.plan(config);
            var changed = SubmittedSteps.mismatch(plan, request.point(), request.steps(), request.expect());
            if (changed.isPresent()) {
                return ChainReply.failed(request.chain(), changed.get() + " by the sweep: the config did not reach"
                        + " the worker intact, or the code or data changed in between; nothing was run");
            }
            if (!Objects.equals(openedSweep, request.sweep().id())) {
                tracking.openSweep(request.sweep().id(), request.sweep().experiment(), request.sweep().description(),
                        request.sweep().params());
                openedSweep = request.sweep().id();
            }
            new PipelineRunner(store, planner, tracking, out, new ConsoleProgress(out, 30000))
                    .runSteps(plan, new LinkedHashSet<>(request.steps()));
            return ChainReply.done(request.chain());
        } catch (StepLock.StepBusyException e) {
            return ChainReply.busy(request.chain(), e.getMessage());
        } catch (PipelineRunner.StepFailedException e) {
            return ChainReply.failed(request.chain(), e.getMessage());
        } catch (Exception | OutOfMemoryError e) {
            return ChainReply.failed(request.chain(), ErrorMessages.describe(e));
        }
    }
}
