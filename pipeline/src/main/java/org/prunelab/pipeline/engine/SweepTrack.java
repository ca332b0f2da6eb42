package org.prunelab.pipeline.engine;

import java.util.Map;

/**
 * The tracking run a sweep's pipeline runs nest under, and what opens it again: its reference in
 * this process ({@code ref}, null without tracking) and the identity a worker process needs to
 * adopt the same run (a study's refinement rounds nest under the study's run, not their own).
 */
public record SweepTrack(String ref, String sweepId, String experiment, String description,
                         Map<String, String> params) {
    public SweepTrack {
        params = Map.copyOf(params);
    }
}
