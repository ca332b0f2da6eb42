package org.prunelab.pipeline.search;

import java.util.Map;
import org.prunelab.stages.search.Genome;

/** Fully trains (or finds the finished training of) one candidate. */
public interface CandidateEvaluator {
    /** A candidate's measured result; NaN accuracies when its training failed. */
    record Evaluation(double valAccuracy, double testAccuracy, boolean computedNow, String pipelineId) {
    }

    Evaluation evaluate(Genome genome, int generation, String role) throws Exception;

    /** The features the predictor sees for a genome (computed without training). */
    Map<String, Double> features(Genome genome);
}
