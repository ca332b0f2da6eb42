package org.prunelab.stages;

/** Receives a stage's metrics. Implementations must be idempotent per (key, step). */
public interface MetricSink {

    void log(String key, double value, long step);

    /** A metric without a meaningful step (e.g. a final score). */
    default void log(String key, double value) {
        log(key, value, 0);
    }

    MetricSink DISCARD = (key, value, step) -> { };
}
