package org.prunelab.pipeline.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.io.Digests;

/**
 * A config whose values may be lists is a grid: every combination of list values is a point. A
 * {@code variants:} mapping names bundles of settings (the arms of a study, e.g. pruned-only,
 * retrained, from scratch); each variant is applied to the base config and expanded on its own,
 * so arms may sweep different keys. The expansion order is fixed (variants by name, keys sorted, the
 * last key varying fastest), so a point's index never changes when an interrupted sweep is re-run.
 */
public final class SweepExpansion {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private SweepExpansion() {
    }

    /** One point of a sweep: its index, the values of the swept keys, and the scalar config. */
    public record Point(int index, Map<String, Object> axes, ExperimentConfig config) {
        public String label() {
            StringBuilder s = new StringBuilder();
            axes.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return s.length() == 0 ? "(single point)" : s.toString();
        }
    }

    public static final String VARIANTS = "variants.";
    /** The key under which a point records its variant's name (not a config key). */
    public static final String VARIANT_AXIS = "variant";

    public static List<Point> expand(ExperimentConfig config) {
        Map<String, Map<String, Object>> variants = new TreeMap<>();
        Map<String, Object> base = new TreeMap<>();
        config.flat().forEach((key, value) -> {
            if (key.startsWith("report.") || key.startsWith("transition.")) {
                return; // study settings, read by the study runner, not by any step
            }
            if (key.startsWith(VARIANTS)) {
                String rest = key.substring(VARIANTS.length());
                int dot = rest.indexOf('.');
                if (dot < 0 && value instanceof Map<?, ?> settings && settings.isEmpty()) {
                    variants.computeIfAbsent(rest, v -> new TreeMap<>()); // `name: {}`: the base config as is
                    return;
                }
                if (dot <= 0) {
                    throw new ConfigException(config.source() + ": '" + key + "': a variant is a mapping of config"
                            + " keys to values, e.g. variants: {retrained: {retrain.epochs: 10}}");
                }
                variants.computeIfAbsent(rest.substring(0, dot), v -> new TreeMap<>()).put(rest.substring(dot + 1), value);
            } else {
                base.put(key, value);
            }
        });
        if (variants.isEmpty()) {
            return expandGrid(ExperimentConfig.of(config.file(), config.source(), base), config, Map.of(), 0);
        }
        List<Point> points = new ArrayList<>();
        ExperimentConfig baseConfig = ExperimentConfig.of(config.file(), config.source(), base);
        for (var variant : variants.entrySet()) {
            ExperimentConfig applied = baseConfig.with(variant.getValue(), "[variant " + variant.getKey() + "]");
            points.addAll(expandGrid(applied, config, Map.of(VARIANT_AXIS, variant.getKey()), points.size()));
        }
        return points;
    }

    private static List<Point> expandGrid(ExperimentConfig config, ExperimentConfig original,
                                          Map<String, Object> fixedAxes, int firstIndex) {
        Map<String, List<?>> axes = new TreeMap<>();
        config.flat().forEach((key, value) -> {
            if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    throw new ConfigException(config.source() + ": key '" + key + "' is an empty list; a sweep axis needs"
                            + " at least one value");
                }
                axes.put(key, list);
            }
        });
        List<Point> points = new ArrayList<>();
        List<String> keys = new ArrayList<>(axes.keySet());
        int total = 1;
        for (List<?> values : axes.values()) {
            total = Math.multiplyExact(total, values.size());
        }
        if (total > 100_000) {
            throw new ConfigException(original.source() + ": the grid has " + total + " points; more than 100000"
                    + " is surely a mistake");
        }
        for (int index = 0; index < total; index++) {
            Map<String, Object> chosen = new LinkedHashMap<>();
            int rest = index;
            for (int k = keys.size() - 1; k >= 0; k--) {
                List<?> values = axes.get(keys.get(k));
                chosen.put(keys.get(k), values.get(rest % values.size()));
                rest /= values.size();
            }
            Map<String, Object> ordered = new LinkedHashMap<>(fixedAxes);
            keys.forEach(key -> ordered.put(key, chosen.get(key)));
            Map<String, Object> settings = new LinkedHashMap<>();
            keys.forEach(key -> settings.put(key, chosen.get(key)));
            points.add(new Point(firstIndex + index, ordered,
                    config.with(settings, "[point " + (firstIndex + index) + "]")));
        }
        return points;
    }

    /** Whether a config key only changes how a sweep's points are presented ({@code report.*}): not part of its identity. */
    public static boolean isPresentation(String key) {
        return key.startsWith("report.");
    }

    /**
     * Identity of a sweep: its config, lists included, but not its {@code report.*} settings, which
     * only change how the same points are presented (so a re-run with a new plot keeps its ledger).
     */
    public static String sweepId(ExperimentConfig config) {
        Map<String, Object> points = new TreeMap<>(config.flat());
        points.keySet().removeIf(SweepExpansion::isPresentation);
        try {
            return Digests.sha256(CANONICAL.writeValueAsString(points)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
