package org.prunelab.stages.families.graphrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.Stage;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.DataFormatException;
import org.prunelab.stages.families.rnn.ReberDataStage;
import org.prunelab.stages.families.rnn.RnnEvaluateStage;
import org.prunelab.stages.families.rnn.RnnModels;
import org.prunelab.stages.families.rnn.RnnTrainStage;
import org.prunelab.stages.graph.GraphLayering;
import org.prunelab.stages.recurrent.RecurrentClassifier;

class GraphRnnStagesTest {
    @TempDir
    Path dir;

    private TestStageContext run(Stage stage, String name, Map<String, Object> cfg, Map<String, Path> inputs)
            throws Exception {
        TestStageContext c = new TestStageContext(stage, name, cfg, dir.resolve(name));
        inputs.forEach(c::input);
        c.run(stage);
        return c;
    }

    @Test
    void graphsAreDrawnSavedWiredTrainedAndEvaluated() throws Exception {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("seed", 4L);
        cfg.put("graph.generator", "watts-strogatz");
        cfg.put("graph.min_nodes", 15);
        cfg.put("graph.max_nodes", 20);
        cfg.put("data.valid_strings", 100);
        cfg.put("data.foreign_strings", 50);
        cfg.put("data.broken_strings", 50);
        cfg.put("data.train_size", 150);
        cfg.put("model.embedding", 4);
        cfg.put("train.epochs", 1);
        TestStageContext graph = run(new GraphSampleStage(), "graph", cfg, Map.of());
        Graph<Integer, DefaultEdge> g = GraphSampleStage.read(graph.workDir().resolve(GraphSampleStage.EDGES));
        int n = g.vertexSet().size();
        assertTrue(n >= 15 && n <= 20);
        assertEquals(n * ((n / 5) / 2), g.edgeSet().size(), "Watts–Strogatz keeps n·⌊k/2⌋ edges");
        assertEquals(n, graph.metric("feature.nodes"));
        assertEquals(GraphLayering.of(g).layerCount(), graph.metric("feature.layers"));

        TestStageContext init = run(new GraphInitStage("graph"), "init", cfg, Map.of("graph", graph.workDir()));
        RecurrentClassifier model = RnnModels.read(init.workDir());
        int units = 0;
        for (var layer : model.layers()) {
            units += layer.hidden();
        }
        assertEquals(n, units, "one unit per vertex");
        assertEquals(model.skips().size(), init.metric("skip_layers"));

        Path data = run(new ReberDataStage(), "data", cfg, Map.of()).workDir();
        TestStageContext train = run(new RnnTrainStage("train", "load-data", "init", 15), "train", cfg,
                Map.of("load-data", data, "init", init.workDir()));
        TestStageContext eval = run(new RnnEvaluateStage("load-data", "train"), "evaluate", cfg,
                Map.of("load-data", data, "train", train.workDir()));
        assertEquals(train.metric("test_accuracy", 1), eval.metric("test_accuracy"), 1e-12);
    }

    @Test
    void sameSeedSameGraphAndBadEdgeListsAreNamed() throws Exception {
        Map<String, Object> cfg = new HashMap<>(Map.of("seed", 9L, "graph.generator", "barabasi-albert"));
        Path a = run(new GraphSampleStage(), "a", cfg, Map.of()).workDir().resolve(GraphSampleStage.EDGES);
        Path b = run(new GraphSampleStage(), "b", cfg, Map.of()).workDir().resolve(GraphSampleStage.EDGES);
        assertEquals(Files.readString(a), Files.readString(b));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "# vertices 3\n0,1\n1,7\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> GraphSampleStage.read(bad));
        assertTrue(e.getMessage().contains("bad.csv: line 3: edge 1,7"), e.getMessage());
    }
}
