package org.prunelab.tracking.outbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.TrackingClient;

/**
 * Which points of a metric entry the server still needs, judged from the run's metric history:
 * for an entry whose earlier attempt may have been applied (lost response, time-out, crash) and for
 * runs others may have logged to (adopted runs, a rebuilt state, a journal with lost lines). The
 * rules are those of {@link MetricPointIndex}: a series point is needed when the server has no
 * point at its (key, step); a summary point (step 0) when the server holds neither this very point
 * (an earlier attempt of this entry) nor its value as the latest at step 0, and then it is
 * stamped after that latest one so that MLflow shows it. Each key's history is read once per entry.
 */
final class ServerHistoryCheck {
    /** MLflow's order of points at one step: by timestamp, then value (its "latest metric"). */
    private static final Comparator<MetricPoint> MLFLOW_ORDER =
            Comparator.comparingLong(MetricPoint::timestampMillis).thenComparingDouble(MetricPoint::value);

    private ServerHistoryCheck() {
    }

    static List<MetricPoint> missing(TrackingClient client, String runId, List<MetricPoint> points) {
        Map<String, List<MetricPoint>> histories = new HashMap<>();
        List<MetricPoint> out = new ArrayList<>();
        for (MetricPoint p : points) {
            List<MetricPoint> history = histories.computeIfAbsent(p.key(),
                    k -> new ArrayList<>(client.metricHistory(runId, k)));
            List<MetricPoint> atStep = history.stream().filter(h -> h.step() == p.step()).toList();
            MetricPoint needed = neededForm(p, atStep);
            if (needed != null) {
                out.add(needed);
                history.add(needed); // a later point of the same entry is judged against this one too
            }
        }
        return out;
    }

    /** The point to send (restamped if need be), or null when the server already has what it says. */
    private static MetricPoint neededForm(MetricPoint p, List<MetricPoint> atStep) {
        if (!MetricPointIndex.isSummary(p)) {
            return atStep.isEmpty() ? p : null;
        }
        if (atStep.stream().anyMatch(h -> samePoint(h, p))) {
            return null;
        }
        Optional<MetricPoint> latest = atStep.stream().max(MLFLOW_ORDER);
        if (latest.isEmpty()) {
            return p;
        }
        if (sameValue(latest.get().value(), p.value())) {
            return null;
        }
        long after = latest.get().timestampMillis() + 1;
        return p.timestampMillis() >= after ? p : new MetricPoint(p.key(), p.value(), after, p.step());
    }

    private static boolean samePoint(MetricPoint a, MetricPoint b) {
        return a.timestampMillis() == b.timestampMillis() && sameValue(a.value(), b.value());
    }

    private static boolean sameValue(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
}
