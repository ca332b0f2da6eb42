package org.prunelab.pipeline.executor;

import java.util.List;
import java.util.Optional;
import org.prunelab.pipeline.plan.Plan;

/**
 * The check every executor makes before it runs steps planned elsewhere (a Slurm job's
 * {@code run-steps}, a local worker): the steps' identities, planned again here, must be the ones
 * the sweep planned, or the config, its data or the code changed in between.
 */
public final class SubmittedSteps {
    private SubmittedSteps() {
    }

    /**
     * @param expected the short identities the sweep planned, one per step (empty: not checked)
     * @return the first step whose identity differs, said as "step 's' of point n has identity a,
     *         but b was submitted", or empty when all agree
     */
    public static Optional<String> mismatch(Plan plan, int point, List<String> steps, List<String> expected) {
        for (int i = 0; i < expected.size(); i++) {
            String actual = plan.step(steps.get(i)).identity().shortHash();
            if (!actual.equals(expected.get(i))) {
                return Optional.of("step '" + steps.get(i) + "' of point " + point + " has identity " + actual
                        + ", but " + expected.get(i) + " was submitted");
            }
        }
        return Optional.empty();
    }
}
