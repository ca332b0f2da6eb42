package org.prunelab.pipeline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.engine.ConsoleProgress;
import org.prunelab.pipeline.engine.PipelineRunner;
import org.prunelab.pipeline.executor.StepGraph;
import org.prunelab.pipeline.executor.SubmittedSteps;
import org.prunelab.pipeline.executor.slurm.SlurmClient;
import org.prunelab.pipeline.executor.slurm.SlurmOptions;
import org.prunelab.pipeline.executor.slurm.SlurmSubmitter;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.MlflowPipelineTracking;
import org.prunelab.pipeline.track.OutboxSlot;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * The two halves of {@code --executor slurm}: {@code sweep} plans every point, builds the
 * deduplicated step graph and submits it; {@code run-steps}, inside a job, runs exactly the steps of
 * its chain for one point against the shared runs directory, tracking through the step's own outbox slot.
 */
final class SlurmSweepCommand {
    private final PrintStream out;
    private final PrintStream err;

    SlurmSweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int submit(ExperimentConfig raw, ExperimentConfig config, List<String> sets, CommandLine line, StepStore store)
            throws Exception {
        SlurmOptions options = options(raw, line);
        long t0 = System.nanoTime();
        Planner planner = new Planner(store);
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        String sweepId = SweepExpansion.sweepId(config);
        Map<Integer, Plan> plans = new LinkedHashMap<>();
        for (SweepExpansion.Point point : points) {
            plans.put(point.index(), planner.plan(point.config()));
        }
        StepGraph graph = StepGraph.of(plans);
        double planSeconds = (System.nanoTime() - t0) / 1e9;
        int occurrences = 0;
        for (Plan plan : plans.values()) {
            occurrences += (int) plan.steps().stream().filter(s -> s.action() != PlannedStep.Action.REUSE).count();
        }
        out.printf(Locale.ROOT, "prunelab sweep %s on Slurm: %d points; %d unfinished steps (%d step runs across"
                        + " points, shared ones counted once) in %d jobs; planned in %.2f s%n", sweepId, points.size(),
                graph.nodes().size(), occurrences, graph.chains().size(), planSeconds);
        String uri = Tracking.uri(line);
        if (graph.isEmpty()) {
            out.println("  every step is finished: finalising the sweep here (ledger, report, MLflow sweep run)");
            return new Main(out, err).execute(localSweepArgs(line));
        }
        if (uri != null) {
            openRuns(uri, store, config, sweepId, graph, plans);
        }
        long t1 = System.nanoTime();
        SlurmSubmitter.Result result = new SlurmSubmitter(new SlurmClient(), options, out).submit(sweepId, graph,
                new SlurmSubmitter.Invocation(config.file(), sets, store.root(), uri, Path.of("").toAbsolutePath()));
        out.printf(Locale.ROOT, "submitted %d job(s), kept %d already queued or running, finalising job %s (%.2f s);"
                        + " follow with: prunelab status %s; stop with: prunelab cancel %s%n", result.submitted(),
                result.kept(), result.finalizer(), (System.nanoTime() - t1) / 1e9, config.file(), sweepId);
        return Main.OK;
    }

    /**
     * Creates the sweep run and the pipeline runs the jobs report under before any job starts, so
     * jobs running in parallel find them (runs are looked up by tag) instead of racing to create them.
     */
    private void openRuns(String uri, StepStore store, ExperimentConfig config, String sweepId, StepGraph graph,
                          Map<Integer, Plan> plans) {
        try (PipelineTracking tracking = new MlflowPipelineTracking(MlflowTracking.connect(uri),
                store.root().resolve("outbox"), out)) {
            Plan first = plans.values().iterator().next();
            tracking.openSweep(sweepId, first.experimentName(), "sweep of " + config.source(), sweepParams(config));
            Set<Integer> points = new LinkedHashSet<>();
            graph.chains().forEach(c -> points.add(c.point()));
            for (int point : points) {
                tracking.openPipeline(plans.get(point));
            }
        }
    }

    /** The sweep run's params: the same map the local executor logs (MLflow params cannot change). */
    private static Map<String, String> sweepParams(ExperimentConfig config) {
        Map<String, String> params = new TreeMap<>();
        config.flat().forEach((k, v) -> params.put(k, String.valueOf(v)));
        return params;
    }

    int runSteps(ExperimentConfig config, CommandLine line, StepStore store) throws Exception {
        int index = intOption(line, "point");
        List<String> steps = listOption(line, "steps");
        List<String> expected = line.hasOption("expect") ? listOption(line, "expect") : List.of();
        if (!expected.isEmpty() && expected.size() != steps.size()) {
            throw new ConfigException("--expect needs one identity per step in --steps (" + steps + "), got " + expected);
        }
        SweepExpansion.Point point = SweepExpansion.expand(config).stream().filter(p -> p.index() == index).findFirst()
                .orElseThrow(() -> new ConfigException(config.source() + ": the sweep has no point " + index));
        Planner planner = new Planner(store);
        Plan plan = planner.plan(point.config());
        var changed = SubmittedSteps.mismatch(plan, index, steps, expected);
        if (changed.isPresent()) {
            throw new ConfigException(changed.get() + ": the config, its data or the code changed since;"
                    + " re-run the sweep command to resubmit");
        }
        String uri = Tracking.uri(line);
        String sweepId = SweepExpansion.sweepId(config);
        out.printf(Locale.ROOT, "prunelab run-steps: sweep %s point %d (%s), steps %s%n", sweepId, index, point.label(),
                steps);
        try (PipelineTracking tracking = open(uri, store, "job-" + plan.step(steps.get(steps.size() - 1)).identity()
                .shortHash())) {
            tracking.openSweep(sweepId, plan.experimentName(), "sweep of " + config.source(), sweepParams(config));
            PipelineRunner runner = new PipelineRunner(store, planner, tracking, out, new ConsoleProgress(out, 30000));
            runner.runSteps(plan, new LinkedHashSet<>(steps));
        }
        if (uri != null) {
            // What an earlier job could not deliver (its node lost the server, it was killed) goes now.
            int[] counts = StoreCommands.deliverLeftovers(store, uri, false, Duration.ofSeconds(10));
            if (counts[0] > 0) {
                out.println("  tracking: delivered " + counts[0] + " entries left behind by earlier processes");
            }
        }
        return Main.OK;
    }

    private PipelineTracking open(String uri, StepStore store, String slotName) throws Exception {
        if (uri == null) {
            return PipelineTracking.disabled();
        }
        OutboxSlot slot = OutboxSlot.claimNamed(store.root().resolve("outbox"), slotName, Duration.ofSeconds(60));
        return new MlflowPipelineTracking(MlflowTracking.connect(uri), slot, out);
    }

    /** Config's slurm section, then command-line options on top. */
    private static SlurmOptions options(ExperimentConfig raw, CommandLine line) {
        SlurmOptions o = SlurmOptions.fromConfig(raw.flat(), raw.source());
        if (line.hasOption("partition")) {
            o = o.withPartition(line.getOptionValue("partition"));
        }
        if (line.hasOption("time")) {
            o = o.withTime(line.getOptionValue("time"));
        }
        if (line.hasOption("cpus-per-task")) {
            o = o.withCpusPerTask(intOption(line, "cpus-per-task"));
        }
        if (line.hasOption("mem")) {
            o = o.withMem(line.getOptionValue("mem"));
        }
        if (line.hasOption("max-parallel")) {
            o = o.withMaxParallel(intOption(line, "max-parallel"));
        }
        if (line.hasOption("sbatch-arg")) {
            List<String> args = new java.util.ArrayList<>(o.sbatchArgs());
            args.addAll(Arrays.asList(line.getOptionValues("sbatch-arg")));
            o = o.withSbatchArgs(args);
        }
        return o;
    }

    private static int intOption(CommandLine line, String name) {
        if (!line.hasOption(name)) {
            throw new ConfigException("--" + name + " is required");
        }
        String v = line.getOptionValue(name);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + name + " must be a whole number >= 0, got '" + v + "'");
        }
    }

    private static List<String> listOption(CommandLine line, String name) {
        if (!line.hasOption(name)) {
            throw new ConfigException("--" + name + " is required");
        }
        List<String> items = Arrays.stream(line.getOptionValue(name).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        if (items.isEmpty()) {
            throw new ConfigException("--" + name + " is empty");
        }
        return items;
    }

    /** The same sweep, with the local executor: its command line minus the Slurm options. */
    private static String[] localSweepArgs(CommandLine line) {
        List<String> args = new java.util.ArrayList<>(line.getArgList());
        for (String s : line.getOptionValues("set") == null ? new String[0] : line.getOptionValues("set")) {
            args.addAll(List.of("--set", s));
        }
        for (String opt : List.of("runs-dir", "tracking-uri")) {
            if (line.hasOption(opt)) {
                args.addAll(List.of("--" + opt, line.getOptionValue(opt)));
            }
        }
        if (line.hasOption("no-tracking")) {
            args.add("--no-tracking");
        }
        args.addAll(List.of("--executor", "local"));
        return args.toArray(String[]::new);
    }
}
