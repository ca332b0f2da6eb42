package org.prunelab.stages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of model families. Registration is one line per family in
 * {@code META-INF/services/org.prunelab.stages.ModelFamily}, read by {@link ServiceLoader}: unlike a
 * list in code, a service file can also be contributed by test sources or another jar, so a new
 * family (the toy family of the pipeline tests included) touches no existing class. Names are kept
 * sorted, so the order never depends on the class path.
 */
public final class ModelFamilies {
    private static final Map<String, ModelFamily> FAMILIES = load();

    private ModelFamilies() {
    }

    private static Map<String, ModelFamily> load() {
        Map<String, ModelFamily> byName = new TreeMap<>();
        for (ModelFamily family : ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader())) {
            ModelFamily previous = byName.putIfAbsent(family.name(), family);
            if (previous != null) {
                throw new IllegalStateException("two model families are named '" + family.name() + "': "
                        + previous.getClass().getName() + " and " + family.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Every registered family name, sorted. */
    public static List<String> names() {
        return List.copyOf(new ArrayList<>(FAMILIES.keySet()));
    }

    public static Optional<ModelFamily> byName(String name) {
        return Optional.ofNullable(FAMILIES.get(name));
    }
}
