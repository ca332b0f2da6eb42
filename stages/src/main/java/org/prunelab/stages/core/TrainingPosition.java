package org.prunelab.stages.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training stands: the next (epoch, batch) to run, the updates done, and one metrics row per
 * finished epoch. Checkpointed with the {@link TrainingState}.
 */
public record TrainingPosition(int epoch, int batch, long updates, List<Map<String, Object>> history) {
    public TrainingPosition {
        if (epoch < 0 || batch < 0 || updates < 0) {
            throw new IllegalArgumentException("position must be non-negative, got epoch " + epoch + ", batch " + batch
                    + ", updates " + updates);
        }
        history = List.copyOf(history);
    }

    public static TrainingPosition start() {
        return new TrainingPosition(0, 0, 0, List.of());
    }

    /** The position as checkpoint state: epoch, batch, updates, history. */
    public Map<String, Object> asState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("batch", batch);
        state.put("updates", updates);
        state.put("history", new ArrayList<>(history));
        return state;
    }

    /** Reads {@link #asState()} back from a checkpoint's state. */
    @SuppressWarnings("unchecked")
    public static TrainingPosition fromState(Map<String, Object> state) {
        for (String key : List.of("epoch", "batch", "updates", "history")) {
            if (!state.containsKey(key)) {
                throw new IllegalStateException("checkpoint state has no '" + key + "'");
            }
        }
        return new TrainingPosition(((Number) state.get("epoch")).intValue(), ((Number) state.get("batch")).intValue(),
                ((Number) state.get("updates")).longValue(), (List<Map<String, Object>>) state.get("history"));
    }
}
