package org.prunelab.pipeline.search;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.io.Digests;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.Outcome;
import org.prunelab.pipeline.track.PipelineTracking;

/**
 * {@code prunelab search CONFIG}: every arm × search seed of a {@link GeneticSearch}, candidates
 * trained through the engine ({@link EngineEvaluator}), then the report.
 *
 * <p>Tracking: one MLflow run per search (arm, seed), holding the generation metrics with step =
 * generation — so the UI's chart view overlays best accuracy, population spread and predictor R²
 * of all searches against the generation — and the candidates' pipeline runs nested under it; plus
 * one report run with the comparison figures and tables. Searches run seed by seed, both arms per
 * seed, so a search stopped half-way already compares the arms on the seeds it finished.
 */
public final class SearchRunner {
    private final StepStore store;
    private final Planner planner;
    private final PipelineTracking tracking;
    private final PrintStream out;

    public SearchRunner(StepStore store, Planner planner, PipelineTracking tracking, PrintStream out) {
        this.store = store;
        this.planner = planner;
        this.tracking = tracking;
        this.out = out;
    }

    /** One finished search. */
    public record Trace(String arm, int seed, List<GeneticSearch.Generation> generations) {
    }

    public record Result(String searchId, List<Trace> traces, int trainedNow, List<Path> reportFiles) {
    }

    public static String searchId(ExperimentConfig config) {
        Map<String, Object> sorted = new TreeMap<>(config.flat());
        String digest = Digests.sha256(sorted.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 10);
        return "search-" + EngineSettings.resolve(SearchSettings.withoutSearchKeys(config.flat()), config.source())
                .experiment() + "-" + digest;
    }

    public Result run(ExperimentConfig config) throws Exception {
        SearchSettings settings = SearchSettings.of(config.flat(), config.source());
        EngineEvaluator evaluator = new EngineEvaluator(config, store, planner, tracking, out);
        evaluator.plan(settings.space().sample(new java.util.SplittableRandom(0))); // a bad config fails before any run
        String id = searchId(config);
        String experiment = EngineSettings.resolve(SearchSettings.withoutSearchKeys(config.flat()), config.source())
                .experiment();
        Map<String, String> params = new TreeMap<>();
        config.flat().forEach((k, v) -> params.put(k, String.valueOf(v)));
        out.printf(Locale.ROOT, "prunelab search %s: %d arm(s) x %d seed(s), population %d, %d generations of %d"
                        + " trainings (%d offspring proposed each), outputs in %s%n", id, settings.arms().size(),
                settings.seeds(), settings.population(), settings.generations(), settings.trainingsPerGeneration(),
                settings.offspring(), store.root());
        List<Trace> traces = new ArrayList<>();
        for (int seed = 1; seed <= settings.seeds(); seed++) {
            for (String arm : settings.arms()) {
                traces.add(runOne(config, settings, evaluator, id, experiment, params, arm, seed));
            }
        }
        Path dir = store.root().resolve("reports").resolve(id);
        List<Path> files = new SearchReport(settings, evaluator.seed()).write(dir, traces, store);
        Map<String, Object> summary = SearchReport.summary(traces, settings);
        String ref = tracking.openSweep(id + "-report", experiment, "sweep of search-report (" + config.source()
                + ": both arms compared, figures and tables)", params);
        Map<String, Double> metrics = new LinkedHashMap<>();
        summary.forEach((k, v) -> {
            if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                metrics.put(k, n.doubleValue());
            }
        });
        tracking.sweepMetrics(ref, metrics);
        for (Path f : files) {
            tracking.sweepArtifact(ref, f, "report");
        }
        tracking.finishSweep(ref, Outcome.FINISHED);
        out.printf(Locale.ROOT, "search %s: %d trainings computed now; report in %s%n", id, evaluator.computed(), dir);
        summary.forEach((k, v) -> out.println("  " + k + ": " + v));
        return new Result(id, traces, evaluator.computed(), files);
    }

    private Trace runOne(ExperimentConfig config, SearchSettings settings, EngineEvaluator evaluator, String id,
                         String experiment, Map<String, String> params, String arm, int seed) throws Exception {
        Map<String, String> runParams = new TreeMap<>(params);
        runParams.put("search.arm", arm);
        runParams.put("search.seed", Integer.toString(seed));
        // The run's name is the description's first word after "sweep of ": "sweep search-predictor-seed1 DATE".
        String ref = tracking.openSweep(id + "-" + arm + "-s" + seed, experiment, "sweep of search-" + arm + "-seed" + seed
                + " (" + config.source() + ": " + SearchReport.armLabel(arm) + ", search seed " + seed + ")", runParams);
        out.printf(Locale.ROOT, "== search %s, arm %s, search seed %d%n", id, arm, seed);
        Outcome outcome = Outcome.FAILED;
        try {
            List<GeneticSearch.Generation> gens = new GeneticSearch(settings, evaluator, arm, seed).run(g -> {
                Map<String, Double> finite = new LinkedHashMap<>();
                g.metrics().forEach((k, v) -> {
                    if (Double.isFinite(v)) {
                        finite.put(k, v);
                    }
                });
                tracking.sweepMetrics(ref, finite, g.index());
                out.printf(Locale.ROOT, "  generation %d (%s, seed %d): %d trainings, best val %.4f (test %.4f) %s%s%n",
                        g.index(), arm, seed, g.trainingsSoFar(), g.bestSoFar().valAccuracy(),
                        g.bestSoFar().testAccuracy(), g.bestSoFar().genome().label(),
                        Double.isNaN(g.r2Holdout()) ? "" : String.format(Locale.ROOT, ", predictor R² held-out %.3f",
                                g.r2Holdout()));
            });
            outcome = Outcome.FINISHED;
            return new Trace(arm, seed, gens);
        } finally {
            tracking.finishSweep(ref, outcome);
        }
    }
}
