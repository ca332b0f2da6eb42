package org.prunelab.stages.core;

import java.util.Map;
import org.prunelab.stages.MetricSink;

/** Logs every numeric value of an epoch's metrics row as {@code prefix + name} at step = epoch. */
public final class MetricsPolicy implements TrainingPolicy {
    private final MetricSink sink;
    private final String prefix;

    public MetricsPolicy(MetricSink sink, String prefix) {
        this.sink = sink;
        this.prefix = prefix;
    }

    @Override
    public Decision afterEpoch(TrainingPosition at, Map<String, Object> metrics) {
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            if (!e.getKey().equals("epoch") && e.getValue() instanceof Number n) {
                sink.log(prefix + e.getKey(), n.doubleValue(), at.epoch());
            }
        }
        return Decision.CONTINUE;
    }
}
