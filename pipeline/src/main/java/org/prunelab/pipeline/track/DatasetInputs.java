package org.prunelab.pipeline.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.io.Digests;
import org.prunelab.tracking.TrackingClient.DatasetInput;

/**
 * The datasets a pipeline read, as MLflow dataset inputs: one per split ({@code mnist-train},
 * {@code mnist-test}), described from the load-data step's {@code dataset.json} (its files and their
 * SHA-256, the subset sizes, the image shape). The digest covers the files' content and the subset,
 * so two runs show the same dataset exactly when they trained or tested on the same images.
 */
final class DatasetInputs {
    static final String FILE = "dataset.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetInputs() {
    }

    /** Empty when the step wrote no dataset.json (a stage that loads no data). */
    static List<DatasetInput> of(Path loadDataDir) throws IOException {
        Path file = loadDataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode d = JSON.readTree(file.toFile());
        List<DatasetInput> out = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            Map<String, String> files = new TreeMap<>();
            Map<String, String> digests = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = d.path("files").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith(split)) {
                    files.put(e.getKey(), e.getValue().asText());
                    digests.put(e.getKey(), d.path("sha256").path(e.getKey()).asText());
                }
            }
            if (files.isEmpty()) {
                continue;
            }
            int rows = d.path(split + "Count").asInt();
            Path dir = Path.of(files.values().iterator().next()).toAbsolutePath().getParent();
            String name = (dir.getFileName() == null ? "data" : dir.getFileName().toString()) + "-" + split;
            // MLflow stores at most 36 characters of digest; 16 hex digits are plenty to tell datasets apart.
            String digest = Digests.sha256(digests + "|" + rows + "|" + d.path("binarizeThreshold").asText())
                    .substring(0, 16);
            out.add(new DatasetInput(name, digest, split, "local", source(dir), schema(d), profile(d, rows, files, digests)));
        }
        return out;
    }

    private static String source(Path dir) {
        return JSON.createObjectNode().put("uri", dir.toUri().toString()).toString();
    }

    /** The tensor schema MLflow's own numpy datasets use, so the UI can show it. */
    private static String schema(JsonNode d) {
        int features = d.path("rows").asInt() * d.path("cols").asInt();
        String featureSpec = "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1, "
                + features + "]}}]";
        String targetSpec = "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"int64\", \"shape\": [-1]}}]";
        ObjectNode schema = JSON.createObjectNode();
        schema.putObject("mlflow_tensorspec").put("features", featureSpec).put("targets", targetSpec);
        return schema.toString();
    }

    private static String profile(JsonNode d, int rows, Map<String, String> files, Map<String, String> digests) {
        ObjectNode p = JSON.createObjectNode();
        p.put("num_rows", rows);
        p.put("image_shape", d.path("rows").asInt() + "x" + d.path("cols").asInt());
        p.put("format", d.path("format").asText());
        p.put("binarize_threshold", d.path("binarizeThreshold").asDouble());
        ObjectNode f = p.putObject("files");
        files.forEach((role, path) -> f.put(Path.of(path).getFileName().toString(), digests.get(role)));
        return p.toString();
    }
}
