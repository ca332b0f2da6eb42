package org.prunelab.tracking;

/** One metric value at a step; timestamp in epoch milliseconds. */
public record MetricPoint(String key, double value, long timestampMillis, long step) { }
