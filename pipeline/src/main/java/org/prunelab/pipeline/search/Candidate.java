package org.prunelab.pipeline.search;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.stages.search.Genome;

/**
 * One trained candidate of a search: its genome, when and why it was trained ({@code role}: init,
 * top — chosen by the predictor, holdout — drawn at random to check the predictor, random — the
 * ablation arm's draw), the accuracy the predictor expected (NaN without one) and what training
 * measured.
 */
public record Candidate(Genome genome, int generation, String role, double predicted, double valAccuracy,
                        double testAccuracy, boolean computedNow, Map<String, Double> features) {
    public static final String INIT = "init", TOP = "top", HOLDOUT = "holdout", RANDOM = "random";

    Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("generation", generation);
        r.put("role", role);
        r.put("genome", genome.label());
        r.putAll(genome.configValues());
        r.put("predicted_val_accuracy", predicted);
        r.put("val_accuracy", valAccuracy);
        r.put("test_accuracy", testAccuracy);
        r.put("trained_now", computedNow);
        features.forEach((k, v) -> r.put("feature." + k, v));
        return r;
    }
}
