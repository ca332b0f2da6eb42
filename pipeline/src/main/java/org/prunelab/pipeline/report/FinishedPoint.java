package org.prunelab.pipeline.report;

import java.util.Map;
import org.prunelab.pipeline.store.StepManifest;

/**
 * A sweep point that finished, as the reports see it: its index, swept values and each step's
 * manifest. Its own type (not the engine's result) so that reports depend on the store only and
 * the engine may depend on reports: no package cycle.
 */
public record FinishedPoint(int index, Map<String, Object> axes, Map<String, StepManifest> manifests) {
}
