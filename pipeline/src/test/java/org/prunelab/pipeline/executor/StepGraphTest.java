package org.prunelab.pipeline.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.config.SweepExpansion;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.Planner;
import org.prunelab.pipeline.store.StepStore;

/** The deduplicated step graph of a sweep and its chains (what becomes one cluster job each). */
class StepGraphTest {
    @TempDir
    Path work;

    private StepGraph graphOf(String... lines) throws Exception {
        Path file = TinyConfigs.write(work, "g.yaml", "graph", lines);
        ExperimentConfig config = ExperimentConfig.load(file, List.of());
        Planner planner = new Planner(new StepStore(work.resolve("runs")));
        Map<Integer, Plan> plans = new LinkedHashMap<>();
        for (SweepExpansion.Point point : SweepExpansion.expand(config)) {
            plans.put(point.index(), planner.plan(point.config()));
        }
        return StepGraph.of(plans);
    }

    @Test
    void sharedStepsAppearOnceAndEndTheirChain() throws Exception {
        StepGraph graph = graphOf("seed: [1, 2]", "model: {hidden: 4}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.8]}");
        // 4 points x 7 steps = 28 step runs; load-data is shared by all, init/prune-1/train per seed
        assertEquals(1 + 2 * 3 + 4 * 3, graph.nodes().size());
        List<StepGraph.Chain> chains = graph.chains();
        assertEquals(List.of(List.of("load-data"), List.of("init", "prune-1", "train"),
                        List.of("prune-2", "retrain", "evaluate"), List.of("init", "prune-1", "train"),
                        List.of("prune-2", "retrain", "evaluate"), List.of("prune-2", "retrain", "evaluate"),
                        List.of("prune-2", "retrain", "evaluate")),
                chains.stream().map(StepGraph.Chain::stepNames).toList());
        assertEquals(Set.of(), chains.get(0).dependsOn());
        assertEquals(Set.of(0), chains.get(1).dependsOn());
        assertEquals(Set.of(0), chains.get(3).dependsOn());
        // each point's tail waits (directly) only for its seed's dense chain, which waits for load-data
        for (int tail : List.of(2, 4, 5, 6)) {
            int seedChain = chains.get(tail).point() % 2 == 0 ? 1 : 3;
            assertEquals(Set.of(seedChain), chains.get(tail).dependsOn(), "chain " + tail);
        }
        assertEquals(List.of(0, 0, 0, 1, 1, 2, 3), chains.stream().map(StepGraph.Chain::point).toList());
    }

    @Test
    void aSinglePointIsOneChain() throws Exception {
        StepGraph graph = graphOf("model: {hidden: 4}");
        assertEquals(1, graph.chains().size());
        assertEquals(List.of("load-data", "init", "prune-1", "train", "prune-2", "retrain", "evaluate"),
                graph.chains().get(0).stepNames());
    }

    @Test
    void aSharedStepBetweenPointsThatDifferOnlyDownstreamIsOneNode() throws Exception {
        StepGraph graph = graphOf("model: {hidden: 4}", "retrain: {epochs: [1, 2, 3]}");
        // everything up to prune-2 is shared; three retrain -> evaluate tails
        assertEquals(5 + 3 * 2, graph.nodes().size());
        assertEquals(4, graph.chains().size());
        assertEquals(List.of("load-data", "init", "prune-1", "train", "prune-2"), graph.chains().get(0).stepNames());
    }
}
