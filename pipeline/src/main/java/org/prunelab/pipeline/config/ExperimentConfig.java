package org.prunelab.pipeline.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.config.ConfigException;

/**
 * An experiment config: a YAML file plus {@code --set key=value} overrides, flattened to dotted
 * keys. YAML is parsed into plain trees (no type tags, no object construction), so a config file
 * cannot make the JVM instantiate anything.
 */
public final class ExperimentConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final String source;
    private final Map<String, Object> flat;

    private ExperimentConfig(Path file, String source, Map<String, Object> flat) {
        this.file = file;
        this.source = source;
        this.flat = Collections.unmodifiableMap(flat);
    }

    public static ExperimentConfig load(Path file, List<String> overrides) {
        String name = file.toString();
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(name + ": config file is larger than 1 MiB; is this the right file?");
            }
            String text = readUtf8(file, name);
            StrictYaml.check(text, name);
            root = YAML.readTree(text);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": config file not found");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(name + ": not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read config file: " + org.prunelab.stages.config.ErrorMessages.describe(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(name + ": config file is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException(name + ": the top level must be a mapping of keys to values");
        }
        Map<String, Object> flat = new TreeMap<>();
        flatten("", root, flat, name);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + override + ": expected key=value");
            }
            String key = override.substring(0, eq).trim();
            String text = override.substring(eq + 1).trim();
            Object value = parseScalar(text, "--set " + override);
            if (value == null || (value instanceof List<?> list && list.contains(null))) {
                throw new ConfigException("--set " + override + ": no value (null); give a value, or leave the"
                        + " --set out to use the default");
            }
            flat.put(key, value);
        }
        String source = overrides.isEmpty() ? name : name + " with --set " + String.join(" ", overrides);
        return new ExperimentConfig(file, source, flat);
    }

    /** The file's text; a UTF-8 byte-order mark is dropped, bytes that are not UTF-8 are an error. */
    private static String readUtf8(Path file, String name) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(name + ": is a directory, not a config file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(name + ": not UTF-8 text; save the config as UTF-8");
        }
    }

    /** A config from an in-memory map of dotted keys (tests and sweeps). */
    public static ExperimentConfig of(Path file, String source, Map<String, Object> flat) {
        return new ExperimentConfig(file, source, new TreeMap<>(flat));
    }

    /** A copy with some dotted keys replaced (used to expand sweeps). */
    public ExperimentConfig with(Map<String, Object> replacements, String description) {
        Map<String, Object> copy = new TreeMap<>(flat);
        copy.putAll(replacements);
        return new ExperimentConfig(file, source + " " + description, copy);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject() && value.isEmpty() && isVariantName(key)) {
                // `variants: {dense: {}}` declares an arm that runs the base config unchanged; flattening
                // alone would leave no key behind and the arm would vanish without a word.
                put(out, key, Map.of(), source);
            } else if (value.isObject()) {
                flatten(key, value, out, source);
            } else if (value.isArray()) {
                List<Object> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (!item.isValueNode()) {
                        throw new ConfigException(source + ": key '" + key + "': list items must be plain values");
                    }
                    items.add(scalar(item));
                }
                put(out, key, Collections.unmodifiableList(items), source);
            } else {
                put(out, key, scalar(value), source);
            }
        }
    }

    /** {@code variants.<name>}: the key of a whole variant, not of a setting inside one. */
    private static boolean isVariantName(String key) {
        return key.startsWith(SweepExpansion.VARIANTS) && key.indexOf('.', SweepExpansion.VARIANTS.length()) < 0;
    }

    /** `data: {format: x}` and `data.format: y` name the same key: refuse rather than let one win. */
    private static void put(Map<String, Object> out, String key, Object value, String source) {
        if (out.containsKey(key)) {
            throw new ConfigException(source + ": key '" + key + "' is given twice (nested and dotted);"
                    + " keep one");
        }
        out.put(key, value);
    }

    private static Object scalar(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value.asText();
    }

    private static Object parseScalar(String text, String source) {
        try {
            JsonNode node = YAML.readTree(text.isEmpty() ? "''" : text);
            if (node == null || node.isMissingNode()) {
                return "";
            }
            if (node.isArray()) {
                List<Object> items = new ArrayList<>();
                for (JsonNode item : node) {
                    items.add(scalar(item));
                }
                return Collections.unmodifiableList(items);
            }
            if (!node.isValueNode()) {
                return text;
            }
            return scalar(node);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": cannot parse value: " + e.getOriginalMessage());
        }
    }

    public Path file() {
        return file;
    }

    /** Names the config and its overrides in error messages. */
    public String source() {
        return source;
    }

    /** Every key, dotted, to a plain value (String, Long, Double, Boolean or a List of those). */
    public Map<String, Object> flat() {
        return flat;
    }

    /** Fails on keys that nothing reads, naming the closest known key. */
    public void rejectUnknownKeys(java.util.Set<String> known) {
        for (String key : flat.keySet()) {
            if (!known.contains(key)) {
                String hint = Suggestions.closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
                throw new ConfigException(source + ": unknown key '" + key + "'" + hint);
            }
        }
    }
}
