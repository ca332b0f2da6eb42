package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.stages.config.ConfigException;

/**
 * {@code run} and {@code explain} take one pipeline; a config with lists, variants or study sections
 * describes many. Instead of failing on the first key a single pipeline does not know, say what the
 * config is and what to do with it ({@code explain} explains every point).
 */
final class SweepConfigs {
    private SweepConfigs() {
    }

    static boolean isSweep(ExperimentConfig config) {
        return config.flat().entrySet().stream().anyMatch(e -> e.getValue() instanceof List<?>
                || e.getKey().startsWith(SweepExpansion.VARIANTS) || e.getKey().startsWith("report.")
                || e.getKey().startsWith("transition."));
    }

    static ConfigException refuseRun(ExperimentConfig config) {
        int points = SweepExpansion.expand(config).size();
        return new ConfigException(config.source() + " is a sweep config (" + points + " points: lists, variants or"
                + " report/transition sections): run it with 'prunelab sweep " + config.file() + "', or pick one"
                + " point with --set (e.g. --set seed=1); 'prunelab explain' shows every point");
    }

    static void explain(ExperimentConfig config, Planner planner, PrintStream out) throws java.io.IOException {
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        out.printf(Locale.ROOT, "sweep config %s: %d points (run them with 'prunelab sweep')%n", config.source(),
                points.size());
        for (SweepExpansion.Point point : points) {
            Plan plan = planner.plan(point.config());
            out.printf(Locale.ROOT, "[%d] %s  (pipeline %s)%n", point.index(), point.label(), plan.pipelineId());
            for (PlannedStep step : plan.steps()) {
                out.printf(Locale.ROOT, "  %-10s %-7s %s  %s%n", step.name(), step.action().name().toLowerCase(Locale.ROOT),
                        step.identity().shortHash(), step.reason());
            }
        }
    }
}
