package org.prunelab.pipeline.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepLock;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;

/**
 * {@code prunelab status CONFIG}: per sweep point, done / running / failed / pending, and the time
 * left, estimated from the measured durations of committed steps of the same step and kind in this
 * sweep (a 30-epoch training and a 0-epoch retraining are the same kind; another study's steps of
 * that kind may be a hundred times smaller), falling back to every committed step of the kind only
 * when the sweep has measured none yet. Each step identity is counted once, since shared steps run once.
 */
public final class StatusReport {
    private final StepStore store;
    private final Planner planner;

    public StatusReport(StepStore store, Planner planner) {
        this.store = store;
        this.planner = planner;
    }

    public record Counts(int done, int running, int failed, int pending, double secondsLeft) { }

    public Counts print(ExperimentConfig config, PrintStream out) throws IOException {
        List<SweepExpansion.Point> points = SweepExpansion.expand(config);
        String sweepId = SweepExpansion.sweepId(config);
        SweepLedger ledger = SweepLedger.load(store.root(), sweepId, config.source());
        List<Plan> plans = new ArrayList<>();
        for (SweepExpansion.Point point : points) {
            plans.add(planner.plan(point.config()));
        }
        Map<String, Double> inSweep = meanSecondsInSweep(plans);
        Map<String, Double> anywhere = null; // read only if the sweep has not measured some step yet
        Set<String> counted = new HashSet<>();
        int done = 0;
        int running = 0;
        int failed = 0;
        int pending = 0;
        double left = 0;
        Set<String> unmeasured = new java.util.TreeSet<>();
        out.printf(Locale.ROOT, "sweep %s: %d points%n", sweepId, points.size());
        for (int i = 0; i < points.size(); i++) {
            SweepExpansion.Point point = points.get(i);
            Plan plan = plans.get(i);
            String state;
            int toCompute = 0;
            boolean held = false;
            for (PlannedStep step : plan.steps()) {
                if (step.action() != PlannedStep.Action.REUSE) {
                    toCompute++;
                    held |= StepLock.isHeld(store.lockFile(step.identity().shortHash()));
                    if (counted.add(step.identity().hash())) {
                        Double mean = inSweep.get(key(step));
                        if (mean == null) {
                            anywhere = anywhere == null ? meanSecondsByKind() : anywhere;
                            mean = anywhere.get(step.spec().stage().kind());
                        }
                        if (mean == null) {
                            unmeasured.add(step.spec().stage().kind());
                        } else {
                            left += mean;
                        }
                    }
                }
            }
            SweepLedger.Entry entry = ledger.entry(point.index());
            if (toCompute == 0) {
                state = "done";
                done++;
            } else if (held) {
                state = "running";
                running++;
            } else if (entry != null && entry.state() == SweepLedger.State.FAILED) {
                state = "failed";
                failed++;
            } else {
                state = "pending";
                pending++;
            }
            out.printf(Locale.ROOT, "  %4d  %-8s %s%s%n", point.index(), state, point.label(),
                    toCompute == 0 ? "" : "  (" + toCompute + " of " + plan.steps().size() + " steps to compute)"
                            + (state.equals("failed") ? ": " + entry.error() : ""));
        }
        out.printf(Locale.ROOT, "done %d, running %d, failed %d, pending %d; estimated time left %s%n", done, running,
                failed, pending, timeLeft(left, unmeasured));
        return new Counts(done, running, failed, pending, left);
    }

    /**
     * A sum over steps of unmeasured kinds would be a guess dressed as a number: say "unknown" until
     * every kind still to run has a measured duration.
     */
    static String timeLeft(double seconds, Set<String> unmeasuredKinds) {
        if (unmeasuredKinds.isEmpty()) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return "unknown (no duration measured yet for " + String.join(", ", unmeasuredKinds) + ")";
    }

    private static String key(PlannedStep step) {
        return step.name() + " " + step.spec().stage().kind();
    }

    /** Mean measured duration per step name and kind over this sweep's committed steps. */
    private Map<String, Double> meanSecondsInSweep(List<Plan> plans) throws IOException {
        Map<String, double[]> sums = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Plan plan : plans) {
            for (PlannedStep step : plan.steps()) {
                if (step.action() == PlannedStep.Action.REUSE && seen.add(step.identity().hash())) {
                    var manifest = store.committed(step.spec().stage().kind(), step.identity().hash());
                    if (manifest.isPresent()) {
                        double[] s = sums.computeIfAbsent(key(step), k -> new double[2]);
                        s[0] += manifest.get().seconds();
                        s[1]++;
                    }
                }
            }
        }
        Map<String, Double> means = new HashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        return means;
    }

    /** Mean measured duration per stage kind, from every committed manifest of the runs directory. */
    private Map<String, Double> meanSecondsByKind() throws IOException {
        Map<String, double[]> sums = new HashMap<>();
        Path steps = store.root().resolve("steps");
        if (Files.isDirectory(steps)) {
            try (var manifests = Files.walk(steps, 3)) {
                for (Path m : manifests.filter(p -> p.getFileName().toString().equals(StepManifest.FILE)).toList()) {
                    StepManifest manifest = Json.read(m, StepManifest.class);
                    double[] s = sums.computeIfAbsent(manifest.kind(), k -> new double[2]);
                    s[0] += manifest.seconds();
                    s[1]++;
                }
            }
        }
        Map<String, Double> means = new HashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        return means;
    }
}
