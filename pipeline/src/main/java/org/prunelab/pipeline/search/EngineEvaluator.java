package org.prunelab.pipeline.search;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.engine.PipelineRunner;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepManifest;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Progress;
import org.prunelab.stages.search.GenomeGraphStage;
import org.prunelab.stages.search.GenomeGraphs;
import org.prunelab.stages.search.Genome;

/**
 * Evaluates candidates through the ordinary engine: a candidate is the search config without its
 * {@code search.*} keys plus the genome's {@code genome.*} values, planned and run like any pipeline.
 * Its steps' identities are therefore its genome, seed and training keys: a candidate met again (in a
 * later generation, the other arm, another search seed or a re-run after an interruption) is found
 * committed and costs a plan. The fitness is the train step's final {@code val_accuracy}.
 */
public final class EngineEvaluator implements CandidateEvaluator {
    static final String TRAIN_STEP = "train";

    private final ExperimentConfig base;
    private final StepStore store;
    private final Planner planner;
    private final PipelineTracking tracking;
    private final PrintStream out;
    private final long seed;
    private final Map<Map<String, Object>, Map<String, Double>> featureCache = new HashMap<>();
    private int computed;

    public EngineEvaluator(ExperimentConfig config, StepStore store, Planner planner, PipelineTracking tracking,
                           PrintStream out) {
        this.base = ExperimentConfig.of(config.file(), config.source(), SearchSettings.withoutSearchKeys(config.flat()));
        this.store = store;
        this.planner = planner;
        this.tracking = tracking;
        this.out = out;
        Object s = base.flat().get(CommonKeys.SEED.name());
        this.seed = s == null ? CommonKeys.SEED.defaultValue() : ((Number) s).longValue();
    }

    /** The plan of one candidate (also what {@code explain} would show). */
    public Plan plan(Genome genome) {
        Map<String, Object> values = new TreeMap<>(genome.configValues());
        return planner.plan(base.with(values, "[variant " + genome.label() + "]"));
    }

    @Override
    public Evaluation evaluate(Genome genome, int generation, String role) throws Exception {
        Plan plan = plan(genome);
        out.printf(java.util.Locale.ROOT, "  gen %d %-7s %s (pipeline %s)%n", generation, role, genome.label(),
                plan.pipelineId());
        try {
            PipelineRunner.Result result = new PipelineRunner(store, planner, tracking, out, Progress.SILENT).run(plan);
            boolean now = result.computed().contains(TRAIN_STEP);
            if (now) {
                computed++;
            }
            StepManifest train = result.manifests().get(TRAIN_STEP);
            return new Evaluation(metric(train, "val_accuracy"), metric(train, "test_accuracy"), now, plan.pipelineId());
        } catch (PipelineRunner.StepFailedException e) {
            out.println("    FAILED (fitness NaN): " + e.getMessage());
            return new Evaluation(Double.NaN, Double.NaN, true, plan.pipelineId());
        }
    }

    private static double metric(StepManifest m, String key) {
        Double v = m.finalMetrics() == null ? null : m.finalMetrics().get(key);
        return v == null ? Double.NaN : v;
    }

    @Override
    public Map<String, Double> features(Genome genome) {
        return featureCache.computeIfAbsent(genome.configValues(),
                k -> GenomeGraphStage.features(genome, GenomeGraphs.draw(genome, seed)));
    }

    /** Trainings this evaluator ran (not found committed). */
    public int computed() {
        return computed;
    }

    public long seed() {
        return seed;
    }
}
