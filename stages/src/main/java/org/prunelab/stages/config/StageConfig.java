package org.prunelab.stages.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resolved values of exactly the keys one stage declared. Asking for an undeclared key is a
 * programming error and fails loudly: that is what keeps a step's identity complete.
 */
public final class StageConfig {
    private final Map<String, Object> values;

    private StageConfig(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Resolves the declared keys against a flat map of dotted keys to raw values.
     *
     * @param source names the config (file and overrides) in error messages
     */
    public static StageConfig resolve(List<ConfigKey<?>> keys, Map<String, Object> flatConfig, String source) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            resolved.put(key.name(), key.coerce(flatConfig.get(key.name()), source));
        }
        return new StageConfig(Collections.unmodifiableMap(resolved));
    }

    public <T> T get(ConfigKey<T> key) {
        if (!values.containsKey(key.name())) {
            throw new IllegalStateException("stage read undeclared config key '" + key.name()
                    + "'; add it to configKeys() so it enters the step identity");
        }
        return key.type().cast(values.get(key.name()));
    }

    /** All resolved values, sorted by key (logged as params). */
    public SortedMap<String, Object> values() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    /**
     * The resolved values that determine the output, sorted by key; this enters the step identity.
     *
     * <p>A key whose value equals its declared default is left out (as open_lth leaves default
     * hyperparameters out of its directory names): so declaring a new key whose default reproduces
     * the old behaviour leaves every existing identity's config part unchanged, and finished work
     * stays valid. Nothing is lost: a default lives in the stage's bytecode, which the code
     * fingerprint covers, so changing a default still changes the identity.
     */
    public SortedMap<String, Object> identityValues(List<ConfigKey<?>> keys) {
        SortedMap<String, Object> out = new TreeMap<>();
        for (ConfigKey<?> key : keys) {
            Object value = values.get(key.name());
            if (key.inIdentity() && !value.equals(key.defaultValue())) {
                out.put(key.name(), value);
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
