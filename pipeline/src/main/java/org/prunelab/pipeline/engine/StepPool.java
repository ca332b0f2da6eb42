package org.prunelab.pipeline.engine;

import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.Plan;

/**
 * Computes a sweep's unfinished steps before the sweep walks its points, several at a time (the
 * local worker processes of {@code sweep --jobs N}). The walk that follows then finds them committed
 * and does what it always does: ledger, tracking of reused steps, report. Keeping the pool out of the
 * walk keeps one code path for everything but the computing.
 */
public interface StepPool {
    /**
     * @param plans one per point, planned just before: the pool computes every step they do not reuse
     * @return the error of every step that failed or could not run because an input failed, by the
     *         step's identity hash; the walk records those points as failed without running them again
     */
    Map<String, String> computeAll(List<SweepExpansion.Point> points, List<Plan> plans, SweepTrack sweep)
            throws Exception;
}
