package org.prunelab.pipeline.engine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.report.ComputeTime;
import org.prunelab.pipeline.report.FinishedPoint;
import org.prunelab.pipeline.report.PointTable;
import org.prunelab.pipeline.report.RbmClaimsReport;
import org.prunelab.pipeline.report.StudySettings;
import org.prunelab.pipeline.report.SweepReport;
import org.prunelab.pipeline.report.TransitionFit;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.Outcome;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.config.ConfigException;

/**
 * A sweep plus what a study needs on top: when {@code transition.metric} is set, the critical value
 * of {@code transition.axis} is fitted, the grid is refined where the curves are steepest, and this
 * repeats until the 95 % interval is narrower than {@code transition.tolerance} (every added point
 * is an ordinary, cached sweep point); then the report is written to {@code runs/reports/<sweep>/}
 * and attached, with the transition, to the sweep's MLflow run.
 */
public final class StudyRunner {
    private final StepStore store;
    private final SweepRunner sweeps;
    private final PipelineTracking tracking;
    private final PrintStream out;

    public StudyRunner(StepStore store, SweepRunner sweeps, PipelineTracking tracking, PrintStream out) {
        this.store = store;
        this.sweeps = sweeps;
        this.tracking = tracking;
        this.out = out;
    }

    public record Result(SweepRunner.Result sweep, Optional<TransitionFit.Result> transition, List<Path> reportFiles,
                         int failed) {
        public boolean success() {
            return failed == 0;
        }
    }

    public Result run(ExperimentConfig config) throws Exception {
        StudySettings settings = StudySettings.of(config);
        String sweepId = SweepExpansion.sweepId(config);
        Map<String, String> params = new TreeMap<>();
        config.flat().forEach((k, v) -> params.put(k, String.valueOf(v)));
        String description = "sweep of " + config.source();
        String ref = tracking.openSweep(sweepId, experimentOf(config), description, params);
        SweepTrack track = new SweepTrack(ref, sweepId, experimentOf(config), description, params);
        Outcome outcome = Outcome.FAILED;
        try {
            SweepRunner.Result first = sweeps.run(config, track);
            List<SweepRunner.PointResult> all = new ArrayList<>(first.results());
            int failed = first.failed() + first.busy();
            Optional<TransitionFit.Result> transition = Optional.empty();
            List<Map<String, Object>> rounds = new ArrayList<>();
            if (settings.findsTransition()) {
                for (int round = 0; ; round++) {
                    TransitionFit.Result fit = fit(settings, all);
                    transition = Optional.of(fit);
                    out.printf(Locale.ROOT, "transition round %d: %s critical at %.4f, 95%% interval [%.4f, %.4f]"
                            + " (width %.4f, %d points)%n", round, settings.transitionAxis(), fit.critical(),
                            fit.lower(), fit.upper(), fit.width(), fit.points());
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("round", round);
                    r.put("critical", fit.critical());
                    r.put("ci95_low", fit.lower());
                    r.put("ci95_high", fit.upper());
                    r.put("points", fit.points());
                    rounds.add(r);
                    if (fit.width() < settings.tolerance() || round >= settings.maxRounds()) {
                        break;
                    }
                    List<Double> values = TransitionFit.proposals(fit, measuredAxisValues(settings, all),
                            settings.pointsPerRound(), 0.0, 0.999);
                    if (values.isEmpty()) {
                        break;
                    }
                    out.println("transition round " + (round + 1) + ": adding " + settings.transitionAxis() + " = "
                            + values);
                    SweepRunner.Result more = sweeps.run(refinement(config, settings, values, round + 1), track);
                    all.addAll(more.results());
                    failed += more.failed() + more.busy();
                }
            }
            // A point's number in the report is its position over all rounds: a refinement round numbers
            // its own points from 0, and reports join rows to points by number (two points 0 gave the
            // first grid points the convergence flags of the refinement's).
            List<FinishedPoint> finished = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                SweepRunner.PointResult r = all.get(i);
                if (r.state() == SweepLedger.State.DONE) {
                    finished.add(new FinishedPoint(i, r.axes(), r.manifests()));
                }
            }
            List<Map<String, Object>> rows = PointTable.rows(settings, finished, store);
            if (!settings.couplings().equals("-")) {
                rows = org.prunelab.pipeline.report.CouplingAgreement.add(settings, rows, finished, store);
            }
            Path dir = store.root().resolve("reports").resolve(sweepId);
            // The referee report first: it is what the README quotes, and it must not wait on figures.
            List<Path> files = new ArrayList<>();
            Map<String, Double> claimMetrics = Map.of();
            if (settings.convergenceReport()) {
                Files.createDirectories(dir);
                RbmClaimsReport.Written claims = RbmClaimsReport.write(settings, rows, finished, dir);
                files.addAll(claims.files());
                claimMetrics = claims.metrics();
                out.print(Files.readString(dir.resolve("claims.md")));
            }
            files.addAll(SweepReport.write(settings, rows, finished, store, transition, dir));
            ComputeTime.Summary cost = ComputeTime.write(finished, dir);
            files.add(cost.file());
            out.print(cost.describe());
            if (transition.isPresent()) {
                Path file = dir.resolve("transition.json");
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("axis", settings.transitionAxis());
                doc.put("metric", settings.transitionMetric());
                doc.put("group", settings.transitionGroup());
                doc.put("critical", transition.get().critical());
                doc.put("ci95_low", transition.get().lower());
                doc.put("ci95_high", transition.get().upper());
                doc.put("per_seed", transition.get().perSeries());
                doc.put("rounds", rounds);
                Json.writeAtomically(file, doc);
                files.add(file);
            }
            out.println("report: " + dir);
            if (ref != null) {
                String lastStep = all.isEmpty() || all.get(0).manifests().isEmpty() ? null
                        : new ArrayList<>(all.get(0).manifests().keySet()).get(all.get(0).manifests().size() - 1);
                if (lastStep != null) {
                    tracking.sweepMetrics(ref, org.prunelab.pipeline.report.SweepSummary.metrics(settings, finished,
                            (int) all.stream().filter(r -> r.state() == SweepLedger.State.FAILED).count(), lastStep));
                }
                if (!claimMetrics.isEmpty()) {
                    tracking.sweepMetrics(ref, claimMetrics);
                }
                for (Path f : files) {
                    tracking.sweepArtifact(ref, f, "report");
                }
                if (transition.isPresent()) {
                    TransitionFit.Result t = transition.get();
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("transition.critical", t.critical());
                    metrics.put("transition.ci95_low", t.lower());
                    metrics.put("transition.ci95_high", t.upper());
                    metrics.put("transition.ci95_width", t.width());
                    t.perSeries().forEach((seed, c) -> metrics.put("transition.critical.seed_" + seed, c.centre()));
                    tracking.sweepMetrics(ref, metrics);
                }
            }
            outcome = failed == 0 ? Outcome.FINISHED : Outcome.FAILED;
            return new Result(first, transition, files, failed);
        } finally {
            if (ref != null) {
                tracking.finishSweep(ref, outcome);
            }
        }
    }

    private static String experimentOf(ExperimentConfig config) {
        Object e = config.flat().get("experiment");
        return e == null ? "prunelab" : String.valueOf(e);
    }

    /** Per seed, (axis value, metric) of the rows of the transition group. */
    private TransitionFit.Result fit(StudySettings s, List<SweepRunner.PointResult> points) {
        Map<String, List<double[]>> bySeed = new TreeMap<>();
        for (SweepRunner.PointResult p : points) {
            if (p.state() != SweepLedger.State.DONE || !inGroup(s, p)) {
                continue;
            }
            Object x = p.axes().get(s.transitionAxis());
            var manifest = p.manifests().get(s.step());
            Double y = manifest == null ? null : manifest.finalMetrics().get(s.transitionMetric());
            if (x == null || y == null) {
                continue;
            }
            bySeed.computeIfAbsent(String.valueOf(p.axes().getOrDefault("seed", "1")), k -> new ArrayList<>())
                    .add(new double[] {((Number) x).doubleValue(), y});
        }
        if (bySeed.isEmpty()) {
            throw new ConfigException("transition: no finished point has axis '" + s.transitionAxis() + "' swept and"
                    + " metric '" + s.transitionMetric() + "' in step '" + s.step() + "'");
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        bySeed.forEach((seed, list) -> {
            double[][] xy = new double[2][list.size()];
            for (int i = 0; i < list.size(); i++) {
                xy[0][i] = list.get(i)[0];
                xy[1][i] = list.get(i)[1];
            }
            series.put(seed, xy);
        });
        return TransitionFit.pooled(series, 20251101L);
    }

    private static boolean inGroup(StudySettings s, SweepRunner.PointResult p) {
        return s.transitionGroup().equals("-")
                || s.transitionGroup().equals(String.valueOf(p.axes().get(s.group())));
    }

    private static List<Double> measuredAxisValues(StudySettings s, List<SweepRunner.PointResult> points) {
        TreeSet<Double> values = new TreeSet<>();
        for (SweepRunner.PointResult p : points) {
            if (inGroup(s, p) && p.axes().get(s.transitionAxis()) instanceof Number n) {
                values.add(n.doubleValue());
            }
        }
        return new ArrayList<>(values);
    }

    /** The config of a refinement round: only the transition's variant, the axis set to the new values. */
    private static ExperimentConfig refinement(ExperimentConfig config, StudySettings s, List<Double> values,
                                               int round) {
        Map<String, Object> flat = new TreeMap<>(config.flat());
        String variantKey = SweepExpansion.VARIANTS + s.transitionGroup() + "." + s.transitionAxis();
        if (!s.transitionGroup().equals("-") && flat.containsKey(variantKey)) {
            flat.keySet().removeIf(k -> k.startsWith(SweepExpansion.VARIANTS)
                    && !k.startsWith(SweepExpansion.VARIANTS + s.transitionGroup() + "."));
            flat.put(variantKey, List.copyOf(values));
        } else if (flat.containsKey(s.transitionAxis())) {
            flat.put(s.transitionAxis(), List.copyOf(values));
        } else {
            throw new ConfigException(config.source() + ": transition.axis '" + s.transitionAxis()
                    + "' is not a swept key" + (s.transitionGroup().equals("-") ? "" : " of variant '"
                    + s.transitionGroup() + "'"));
        }
        if (s.transitionSeeds() > 0) {
            flat.put("seed", refinementSeeds(config, s.transitionSeeds()));
        }
        return ExperimentConfig.of(config.file(), config.source() + " [refinement round " + round + "]", flat);
    }

    /**
     * The sweep's seeds, then the integers after the largest, until there are {@code count} (never fewer
     * than the sweep's): a seed of the grid keeps its number, so its refined points pair with its grid points.
     */
    static List<Long> refinementSeeds(ExperimentConfig config, int count) {
        Object seed = config.flat().get("seed");
        List<?> given = seed instanceof List<?> list ? list : seed == null ? List.of() : List.of(seed);
        if (given.isEmpty()) {
            throw new ConfigException(config.source() + ": transition.seeds needs the sweep's seeds: set 'seed'"
                    + " (a number or a list)");
        }
        TreeSet<Long> seeds = new TreeSet<>();
        for (Object g : given) {
            if (!(g instanceof Number n) || n.doubleValue() != n.longValue()) {
                throw new ConfigException(config.source() + ": seed: '" + g + "' is not an integer");
            }
            seeds.add(n.longValue());
        }
        List<Long> out = new ArrayList<>(seeds);
        for (long next = seeds.last() + 1; out.size() < count; next++) {
            out.add(next);
        }
        return out;
    }
}
