package org.prunelab.pipeline.track;

import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.store.StepManifest;

/**
 * The final metrics of a pipeline's steps under stable names, {@code <step>.<metric>} (e.g.
 * {@code evaluate.test_pll}, {@code train.final_accuracy}), for the pipeline run: the runs table,
 * chart view and parallel coordinates then compare points without joining step runs to parents.
 * Only headline metrics go up: grouped ones (a dot in the key: {@code mask.*}, {@code score.*}, ...)
 * stay on the step runs, where they would otherwise crowd out the table's columns.
 */
final class HeadlineMetrics {
    private HeadlineMetrics() {
    }

    static Map<String, Double> of(String stepName, StepManifest manifest) {
        Map<String, Double> out = new TreeMap<>();
        if (manifest.finalMetrics() == null) {
            return out;
        }
        manifest.finalMetrics().forEach((key, value) -> {
            if (!key.contains(".") && value != null) {
                out.put(stepName + "." + key, value);
            }
        });
        return out;
    }
}
