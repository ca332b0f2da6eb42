package org.prunelab.tracking.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.tracking.MetricPoint;

/**
 * What this outbox has journaled for every (key, step) of every run, so that a resumed stage which
 * logs old epochs again adds nothing (MLflow would append a duplicate) while a summary whose value
 * changed still goes out. Two kinds of point, told apart by their step:
 * <ul>
 * <li><b>Series points</b> (step &ne; 0, an epoch or a generation): one point per (key, step). A
 * resumed or recomputed epoch is the same epoch again, so its first record stands: deterministic
 * values come out bit-identical anyway, and a wall time measured again is a second measurement of
 * that epoch, which would show as a doubled step in MLflow's charts.</li>
 * <li><b>Summary points</b> (step 0, {@link #SUMMARY_STEP}: the stage contract's "metric without a
 * meaningful step", a sweep's figures, a pipeline's headline metrics): the value is current state
 * and may change, e.g. a sweep's summary recomputed after more points finished. A repeat of the
 * latest value journaled is dropped; a new value is journaled as a new point at step 0, stamped
 * after the one it replaces, because MLflow's "latest" value of a metric is the point with the
 * greatest (step, timestamp, value). Deduplicating by (key, step) alone kept MLflow on the old value
 * for ever.</li>
 * </ul>
 *
 * <p>A run is filed under its canonical name: the server run id once known, else its local
 * reference; {@link #merge} joins the two when the run id becomes known. Not thread-safe: the
 * outbox calls it under its journal lock.
 */
final class MetricPointIndex {
    /** The step of summary points (see the class comment). */
    static final long SUMMARY_STEP = 0;

    private final Map<String, Map<PointKey, Latest>> latest = new HashMap<>();

    static boolean isSummary(MetricPoint p) {
        return p.step() == SUMMARY_STEP;
    }

    /**
     * The points that change what this run holds, in order: a (key, step) not journaled before,
     * or a summary whose value differs from the latest journaled for it. A changed summary whose
     * timestamp is not after the one it replaces is restamped 1 ms after it, so that MLflow takes
     * it as the latest (it orders same-step points by timestamp, then value).
     */
    List<MetricPoint> fresh(String run, List<MetricPoint> points) {
        Map<PointKey, Latest> known = latest.getOrDefault(run, Map.of());
        Map<PointKey, Latest> inCall = new HashMap<>();
        List<MetricPoint> out = new ArrayList<>();
        for (MetricPoint p : points) {
            PointKey id = new PointKey(p.key(), p.step());
            Latest before = inCall.containsKey(id) ? inCall.get(id) : known.get(id);
            if (before != null && (!isSummary(p) || before.sameValue(p.value()))) {
                continue;
            }
            MetricPoint sent = before != null && p.timestampMillis() <= before.timestampMillis()
                    ? new MetricPoint(p.key(), p.value(), before.timestampMillis() + 1, p.step())
                    : p;
            out.add(sent);
            inCall.put(id, Latest.of(sent));
        }
        return out;
    }

    /** Records journaled points, in journal order (a later one replaces an earlier of the same key and step). */
    void add(String run, List<MetricPoint> points) {
        Map<PointKey, Latest> s = latest.computeIfAbsent(run, r -> new HashMap<>());
        points.forEach(p -> s.put(new PointKey(p.key(), p.step()), Latest.of(p)));
    }

    /**
     * Points filed under {@code fromRun} (a local reference) now count for {@code intoRun} (its run
     * id). Points filed under the run id were journaled after those under the local reference (once
     * the id is known every point is filed under it), so they stand where both have a (key, step).
     */
    void merge(String fromRun, String intoRun) {
        Map<PointKey, Latest> from = latest.remove(fromRun);
        if (from != null) {
            Map<PointKey, Latest> into = latest.computeIfAbsent(intoRun, r -> new HashMap<>());
            from.forEach(into::putIfAbsent);
        }
    }

    private record PointKey(String key, long step) { }

    /** A value compared bit for bit (so NaN equals NaN, and 0.0 differs from -0.0), and its timestamp. */
    private record Latest(long valueBits, long timestampMillis) {
        static Latest of(MetricPoint p) {
            return new Latest(Double.doubleToLongBits(p.value()), p.timestampMillis());
        }

        boolean sameValue(double value) {
            return valueBits == Double.doubleToLongBits(value);
        }
    }
}
