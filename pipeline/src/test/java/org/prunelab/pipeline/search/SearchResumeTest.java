package org.prunelab.pipeline.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyCsvData;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;
import org.prunelab.stages.search.Genome;

/** A search stopped half-way and started again trains only what it had not trained, and ends as an uninterrupted one. */
class SearchResumeTest {
    @TempDir
    Path work;

    private ExperimentConfig config(Path data) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("experiment", "nas-resume");
        flat.put("pipeline", "graph-ffn");
        flat.put("seed", 2L);
        flat.put("data.dir", data.toString());
        flat.put("data.format", "csv");
        flat.put("graph-ffn.validation", 10L);
        flat.put("model.node_width", 2L);
        flat.put("train.epochs", 1L);
        flat.put("train.batch_size", 25L);
        flat.put("search.seeds", 1L);
        flat.put("search.arms", "predictor");
        flat.put("search.population", 3L);
        flat.put("search.generations", 2L);
        flat.put("search.offspring", 4L);
        flat.put("search.train_top", 1L);
        flat.put("search.holdout", 1L);
        flat.put("search.elite", 1L);
        flat.put("search.min_nodes", 5L);
        flat.put("search.max_nodes", 9L);
        flat.put("search.max_depth", 3L);
        return ExperimentConfig.of(work.resolve("search.yaml"), "search.yaml", flat);
    }

    /** Stops the search (as a kill would) once {@code limit} candidates were trained in this process. */
    private static final class Interrupting implements CandidateEvaluator {
        private final EngineEvaluator inner;
        private final int limit;

        Interrupting(EngineEvaluator inner, int limit) {
            this.inner = inner;
            this.limit = limit;
        }

        @Override
        public Evaluation evaluate(Genome genome, int generation, String role) throws Exception {
            if (inner.computed() >= limit) {
                throw new IllegalStateException("interrupted after " + limit + " trainings");
            }
            return inner.evaluate(genome, generation, role);
        }

        @Override
        public Map<String, Double> features(Genome genome) {
            return inner.features(genome);
        }
    }

    private record Run(List<GeneticSearch.Generation> generations, int trainedNow) {
    }

    private Run search(ExperimentConfig config, Path runs, int interruptAfter) throws Exception {
        StepStore store = new StepStore(runs);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        EngineEvaluator engine = new EngineEvaluator(config, store, new Planner(store), PipelineTracking.disabled(), quiet);
        SearchSettings settings = SearchSettings.of(config.flat(), config.source());
        CandidateEvaluator evaluator = interruptAfter < 0 ? engine : new Interrupting(engine, interruptAfter);
        List<GeneticSearch.Generation> gens = new GeneticSearch(settings, evaluator, SearchSettings.ARM_PREDICTOR, 1)
                .run(g -> { });
        return new Run(gens, engine.computed());
    }

    private static List<String> trainedCandidates(List<GeneticSearch.Generation> gens) {
        List<String> out = new ArrayList<>();
        for (GeneticSearch.Generation g : gens) {
            for (Candidate c : g.trained()) {
                out.add(g.index() + " " + c.role() + " " + c.genome().label() + " val=" + c.valAccuracy() + " test="
                        + c.testAccuracy());
            }
        }
        return out;
    }

    private static long committedTrainings(Path runs) throws Exception {
        Path dir = runs.resolve("steps").resolve("graph-ffn.train");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).count();
        }
    }

    @Test
    void anInterruptedSearchResumesWithoutRetrainingFinishedCandidates() throws Exception {
        Path data = TinyCsvData.writeDir(work.resolve("data"));
        ExperimentConfig config = config(data);
        Path reference = work.resolve("runs-reference");
        Run uninterrupted = search(config, reference, -1);
        int total = 3 + 2 * 2;
        assertEquals(total, uninterrupted.trainedNow(), "population 3 + 2 generations x (1 top + 1 held out)");
        assertEquals(total, committedTrainings(reference));

        Path runs = work.resolve("runs");
        var stopped = assertThrows(IllegalStateException.class, () -> search(config, runs, 4));
        assertTrue(stopped.getMessage().contains("interrupted after 4"), stopped.getMessage());
        assertEquals(4, committedTrainings(runs), "four candidates were finished before the interruption");

        Run resumed = search(config, runs, -1);
        assertEquals(total - 4, resumed.trainedNow(), "the resumed search trains only the candidates it had not trained");
        assertEquals(total, committedTrainings(runs));
        assertEquals(trainedCandidates(uninterrupted.generations()), trainedCandidates(resumed.generations()),
                "same decisions, same candidates, same accuracies as the uninterrupted search");

        Run again = search(config, runs, -1);
        assertEquals(0, again.trainedNow(), "re-evaluating a finished search costs no training");
    }
}
