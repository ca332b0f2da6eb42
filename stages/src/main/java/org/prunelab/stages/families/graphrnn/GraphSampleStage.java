package org.prunelab.stages.families.graphrnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DataFormatException;
import org.prunelab.stages.graph.RandomGraphs;
import org.prunelab.stages.graph.StructuralFeatures;

/**
 * graph: draws one random graph from the configured generator and the run's seed, saves it as an
 * edge list ({@code edges.csv}, one "u,v" per line, u < v) and logs its 23 structural features as
 * final metrics {@code feature.<name>}, so a sweep's points carry the regressors' inputs.
 *
 * <p>The authors' settings: n ~ U{10, …, 50}; Barabási–Albert with m = n/10 started from m isolated
 * vertices; Watts–Strogatz with k = n/5 and p = 1, connected (up to 10 tries). A Watts–Strogatz draw
 * that stays disconnected after its tries is redrawn with a new n (the number of redraws is logged),
 * since a small ring rewired with p = 1 is often disconnected.
 */
public final class GraphSampleStage implements Stage {
    static final String EDGES = "edges.csv";

    static final ConfigKey<String> GENERATOR = ConfigKey.choice("graph.generator", "barabasi-albert",
            List.of("barabasi-albert", "watts-strogatz", "erdos-renyi"), "random-graph model");
    static final ConfigKey<Integer> MIN_NODES = ConfigKey.integer("graph.min_nodes", 10, 3, 100_000,
            "smallest vertex count drawn (authors: 10)");
    static final ConfigKey<Integer> MAX_NODES = ConfigKey.integer("graph.max_nodes", 50, 3, 100_000,
            "largest vertex count drawn (authors: 50)");
    static final ConfigKey<String> BA_START = ConfigKey.choice("graph.ba_start", "isolated", List.of("isolated", "star"),
            "Barabási–Albert seed graph: m isolated vertices (networkx 2.x, the authors') or a star");
    static final ConfigKey<Double> WS_REWIRE = ConfigKey.real("graph.ws_rewire", 1.0, 0.0, 1.0,
            "Watts–Strogatz rewiring probability (authors: 1)");
    static final ConfigKey<Integer> WS_TRIES = ConfigKey.integer("graph.ws_tries", 10, 1, 1_000,
            "Watts–Strogatz draws until connected (authors: 10)");
    static final ConfigKey<Double> ER_P = ConfigKey.real("graph.er_p", 0.2, 0.0, 1.0, "Erdős–Rényi edge probability");

    @Override
    public String kind() {
        return "graph.sample";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, GENERATOR, MIN_NODES, MAX_NODES, BA_START, WS_REWIRE, WS_TRIES, ER_P);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig c = context.config();
        int lo = c.get(MIN_NODES), hi = c.get(MAX_NODES);
        if (lo > hi) {
            throw new org.prunelab.stages.config.ConfigException("graph.min_nodes (" + lo + ") exceeds graph.max_nodes ("
                    + hi + ")");
        }
        SplittableRandom rng = Seeds.stream(Seeds.derive(c.get(CommonKeys.SEED), kind() + "/" + c.get(GENERATOR)));
        Graph<Integer, DefaultEdge> graph = null;
        int redraws = 0;
        while (graph == null) {
            int n = lo + rng.nextInt(hi - lo + 1);
            graph = draw(c, n, rng);
            if (graph == null && ++redraws > 1_000) {
                throw new IllegalStateException("no usable " + c.get(GENERATOR) + " graph in 1,000 draws; check graph.*");
            }
        }
        write(graph, context.workDir().resolve(EDGES));
        Map<String, Double> features = StructuralFeatures.of(graph);
        features.forEach((k, v) -> context.metrics().log("feature." + k, v));
        context.metrics().log("redraws", redraws);
        context.progress().log(String.format(Locale.ROOT, "%s: %s graph, %d vertices, %d edges, %d layers",
                context.stepName(), c.get(GENERATOR), graph.vertexSet().size(), graph.edgeSet().size(),
                features.get("layers").intValue()));
    }

    /** One graph with n vertices, or null when it must be redrawn (not connected, too small). */
    private static Graph<Integer, DefaultEdge> draw(StageConfig c, int n, SplittableRandom rng) {
        switch (c.get(GENERATOR)) {
            case "barabasi-albert" -> {
                int m = Math.max(1, n / 10);
                return RandomGraphs.barabasiAlbert(n, m, c.get(BA_START).equals("star")
                        ? RandomGraphs.BarabasiAlbertStart.STAR : RandomGraphs.BarabasiAlbertStart.ISOLATED, rng);
            }
            case "watts-strogatz" -> {
                try {
                    return RandomGraphs.connectedWattsStrogatz(n, Math.max(2, n / 5), c.get(WS_REWIRE), c.get(WS_TRIES), rng);
                } catch (RandomGraphs.GenerationException e) {
                    return null;
                }
            }
            default -> {
                Graph<Integer, DefaultEdge> g = RandomGraphs.erdosRenyi(n, c.get(ER_P), rng);
                return new org.jgrapht.alg.connectivity.ConnectivityInspector<>(g).isConnected() ? g : null;
            }
        }
    }

    static void write(Graph<Integer, DefaultEdge> graph, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# vertices " + graph.vertexSet().size());
        List<int[]> edges = new ArrayList<>();
        for (DefaultEdge e : graph.edgeSet()) {
            int u = graph.getEdgeSource(e), v = graph.getEdgeTarget(e);
            edges.add(new int[] {Math.min(u, v), Math.max(u, v)});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        for (int[] e : edges) {
            lines.add(e[0] + "," + e[1]);
        }
        Files.write(file, lines);
    }

    static Graph<Integer, DefaultEdge> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).startsWith("# vertices ")) {
            throw new DataFormatException(file, "an edge list starts with '# vertices N'");
        }
        int n;
        try {
            n = Integer.parseInt(lines.get(0).substring("# vertices ".length()).trim());
        } catch (NumberFormatException e) {
            throw DataFormatException.atLine(file, 1, "vertex count is not an integer");
        }
        Graph<Integer, DefaultEdge> g = RandomGraphs.empty(n);
        for (int i = 1; i < lines.size(); i++) {
            String[] uv = lines.get(i).split(",");
            try {
                int u = Integer.parseInt(uv[0].trim()), v = Integer.parseInt(uv[1].trim());
                if (u < 0 || v < 0 || u >= n || v >= n || u == v) {
                    throw DataFormatException.atLine(file, i + 1, "edge " + u + "," + v + " is not between two vertices of 0.."
                            + (n - 1));
                }
                g.addEdge(u, v);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw DataFormatException.atLine(file, i + 1, "expected 'u,v', found '" + lines.get(i) + "'");
            }
        }
        return g;
    }
}
