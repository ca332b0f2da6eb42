package org.prunelab.stages.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DataFormatException;
import org.prunelab.stages.graph.StructuralFeatures;

/**
 * graph: the graph of the run's genome ({@code genome.*}) and seed ({@link GenomeGraphs}), saved as an
 * edge list ({@code edges.csv}: "# vertices N", then one "u,v" per line, u < v, ascending), with its
 * 23 structural features and the depth-budgeted wiring's counts as final metrics
 * {@code feature.<name>} — the inputs of the search's performance predictor.
 */
public final class GenomeGraphStage implements Stage {
    public static final String EDGES = "edges.csv";

    @Override
    public String kind() {
        return "search.graph";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED));
        keys.addAll(GenomeKeys.all());
        return keys;
    }

    @Override
    public void run(StageContext context) throws Exception {
        Genome genome = GenomeKeys.read(context.config());
        GenomeGraphs.Drawn drawn = GenomeGraphs.draw(genome, context.config().get(CommonKeys.SEED));
        write(drawn.graph(), context.workDir().resolve(EDGES));
        context.publishArtifact(EDGES);
        Map<String, Double> features = features(genome, drawn);
        features.forEach((k, v) -> context.metrics().log("feature." + k, v));
        context.progress().log(String.format(Locale.ROOT, "%s: %s, %d edges (%d joined), %d network layers",
                context.stepName(), genome.label(), drawn.graph().edgeSet().size(), drawn.joined(),
                features.get("network_layers").intValue()));
    }

    /** The structural features of the graph, then the wiring's: network layers, skip, dropped and joined edges. */
    public static Map<String, Double> features(Genome genome, GenomeGraphs.Drawn drawn) {
        Map<String, Double> f = StructuralFeatures.of(drawn.graph());
        BudgetedDag dag = BudgetedDag.of(drawn.graph(), genome.depth());
        f.put("network_layers", (double) dag.layerCount());
        f.put("skip_edges", (double) dag.skipEdges());
        f.put("dropped_edges", (double) dag.droppedEdges());
        f.put("joined_edges", (double) drawn.joined());
        return f;
    }

    public static void write(Graph<Integer, DefaultEdge> graph, Path file) throws IOException {
        List<int[]> edges = new ArrayList<>();
        for (DefaultEdge e : graph.edgeSet()) {
            int u = graph.getEdgeSource(e), v = graph.getEdgeTarget(e);
            edges.add(new int[] {Math.min(u, v), Math.max(u, v)});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        List<String> lines = new ArrayList<>();
        lines.add("# vertices " + graph.vertexSet().size());
        for (int[] e : edges) {
            lines.add(e[0] + "," + e[1]);
        }
        Files.write(file, lines);
    }

    public static Graph<Integer, DefaultEdge> read(Path file) throws IOException {
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
        Graph<Integer, DefaultEdge> g = org.prunelab.stages.graph.RandomGraphs.empty(n);
        for (int i = 1; i < lines.size(); i++) {
            String[] uv = lines.get(i).split(",");
            int u, v;
            try {
                u = Integer.parseInt(uv[0].trim());
                v = Integer.parseInt(uv[1].trim());
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw DataFormatException.atLine(file, i + 1, "expected 'u,v', found '" + lines.get(i) + "'");
            }
            if (u < 0 || v < 0 || u >= n || v >= n || u == v) {
                throw DataFormatException.atLine(file, i + 1, "edge " + u + "," + v + " is not between two vertices of 0.."
                        + (n - 1));
            }
            g.addEdge(u, v);
        }
        return g;
    }
}
