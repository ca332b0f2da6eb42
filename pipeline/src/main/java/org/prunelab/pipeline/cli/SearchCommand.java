package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.search.SearchRunner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;

/** {@code prunelab search CONFIG}: the genetic architecture search of a config's {@code search.*} section. */
final class SearchCommand {
    private final PrintStream out;
    private final PrintStream err;

    SearchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(CommandLine line, ExperimentConfig config, Path runsDir) throws Exception {
        StepStore store = new StepStore(runsDir);
        try (PipelineTracking tracking = Tracking.open(line, store.root(), out, err)) {
            out.println("  tracking: " + tracking.describe());
            new SearchRunner(store, new Planner(store), tracking, out).run(config);
            return Main.OK;
        }
    }
}
