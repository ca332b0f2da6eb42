package org.prunelab.tracking.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunelab.tracking.MetricPoint;

/**
 * The (key, step) of every metric point ever journaled, per run, so that a resumed stage which
 * logs old epochs again adds nothing (MLflow would append a duplicate). A run is filed under its
 * canonical name: the server run id once known, else its local reference; {@link #merge} joins the
 * two when the run id becomes known. Not thread-safe: the outbox calls it under its journal lock.
 */
final class MetricPointIndex {
    private final Map<String, Set<String>> seen = new HashMap<>();

    /** The points not seen before for this run, in order, each (key, step) once. */
    List<MetricPoint> unseen(String run, List<MetricPoint> points) {
        Set<String> known = seen.getOrDefault(run, Set.of());
        Set<String> inCall = new HashSet<>();
        List<MetricPoint> out = new ArrayList<>();
        for (MetricPoint p : points) {
            String id = pointId(p.key(), p.step());
            if (!known.contains(id) && inCall.add(id)) {
                out.add(p);
            }
        }
        return out;
    }

    void add(String run, List<MetricPoint> points) {
        Set<String> s = seen.computeIfAbsent(run, r -> new HashSet<>());
        points.forEach(p -> s.add(pointId(p.key(), p.step())));
    }

    /** Points filed under {@code fromRun} (a local reference) now count for {@code intoRun} (its run id). */
    void merge(String fromRun, String intoRun) {
        Set<String> from = seen.remove(fromRun);
        if (from != null) {
            seen.computeIfAbsent(intoRun, r -> new HashSet<>()).addAll(from);
        }
    }

    private static String pointId(String key, long step) {
        return key + '\u0000' + step;
    }
}
