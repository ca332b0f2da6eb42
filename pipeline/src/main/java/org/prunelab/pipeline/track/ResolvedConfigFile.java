package org.prunelab.pipeline.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;
import org.prunelab.io.AtomicFiles;

/**
 * The config of one pipeline with every value spelled out, as a YAML file that
 * {@code prunelab run resolved.yaml} accepts as it is and that plans the same steps: the point's own
 * settings plus every default the steps resolved. Sweep and study sections ({@code variants},
 * {@code report}, {@code transition}) are left out: they describe a grid, and the file is one point.
 */
public final class ResolvedConfigFile {
    public static final String FILE = "resolved.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ResolvedConfigFile() {
    }

    public static Map<String, Object> flat(Plan plan) {
        Map<String, Object> flat = new TreeMap<>();
        plan.config().flat().forEach((k, v) -> {
            if (!k.startsWith("variants.") && !k.startsWith("report.") && !k.startsWith("transition.")) {
                flat.put(k, v);
            }
        });
        for (PlannedStep step : plan.steps()) {
            flat.putAll(step.config().values());
        }
        return flat;
    }

    /** Nested the way a hand-written config is: {@code train.epochs} under {@code train:}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> nested(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return root;
    }

    public static void write(Plan plan, Path file) throws IOException {
        String header = "# Resolved config of pipeline " + plan.pipelineId() + " (from " + plan.config().source()
                + ").\n# Every value is explicit; 'prunelab run " + FILE + "' plans the same steps.\n";
        AtomicFiles.writeBytes(file, (header + YAML.writeValueAsString(nested(flat(plan))))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
