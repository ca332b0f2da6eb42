package org.prunelab.pipeline.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepStore;

/** Says why a step must be computed: what differs from the identity the same step had last time. */
final class Explainer {
    private Explainer() {
    }

    static String whyNew(StepSpec spec, StepIdentity now, SortedMap<String, String> code, String previousShortId,
                         StepStore store, Map<String, PlannedStep.Action> upstreamActions) {
        if (previousShortId == null) {
            return "never run in this experiment";
        }
        Path record = Planner.identityRecord(store, previousShortId);
        if (previousShortId.equals(now.shortHash())) {
            return "its earlier outputs are gone";
        }
        if (!Files.exists(record)) {
            return "identity changed (no record of the earlier one)";
        }
        try {
            JsonNode old = Json.MAPPER.readTree(record.toFile());
            JsonNode id = old.get("identity");
            List<String> reasons = new ArrayList<>();
            JsonNode oldConfig = id.get("config");
            TreeSet<String> keys = new TreeSet<>(now.config().keySet());
            oldConfig.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                // A key at its default is not in an identity (StageConfig.identityValues).
                String before = oldConfig.has(key) ? text(oldConfig.get(key)) : "(default)";
                String after = now.config().containsKey(key) ? String.valueOf(now.config().get(key)) : "(default)";
                if (!before.equals(after)) {
                    reasons.add("config " + key + ": " + before + " -> " + after);
                }
            }
            JsonNode oldUp = id.get("upstream");
            for (var up : now.upstream().entrySet()) {
                if (!oldUp.has(up.getKey()) || !oldUp.get(up.getKey()).asText().equals(up.getValue())) {
                    reasons.add("upstream step '" + up.getKey() + "' changed");
                }
            }
            JsonNode oldInputs = id.get("externalInputs");
            for (var in : now.externalInputs().entrySet()) {
                if (!oldInputs.has(in.getKey()) || !oldInputs.get(in.getKey()).asText().equals(in.getValue())) {
                    reasons.add("input file " + in.getKey() + " changed");
                }
            }
            if (id.get("codeVersion").asInt() != now.codeVersion()) {
                reasons.add("stage code version " + id.get("codeVersion").asInt() + " -> " + now.codeVersion());
            }
            JsonNode oldCode = old.get("codeClasses");
            List<String> changed = new ArrayList<>();
            for (var c : code.entrySet()) {
                if (oldCode == null || !oldCode.has(c.getKey())
                        || !Objects.equals(oldCode.get(c.getKey()).asText(), c.getValue())) {
                    changed.add(c.getKey().replace("org.prunelab.", ""));
                }
            }
            if (oldCode != null) {
                Iterator<String> names = oldCode.fieldNames();
                while (names.hasNext()) {
                    String n = names.next();
                    if (!code.containsKey(n)) {
                        changed.add(n.replace("org.prunelab.", "") + " (removed)");
                    }
                }
            }
            if (!changed.isEmpty()) {
                reasons.add("code changed: " + String.join(", ", changed));
            }
            return reasons.isEmpty() ? "identity changed" : String.join("; ", reasons);
        } catch (IOException e) {
            return "identity changed";
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }
}
