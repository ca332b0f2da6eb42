package org.prunelab.stages.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunelab.stages.config.ConfigException;

/** The random-graph models a genome can name, by their config spelling. */
public enum GraphGenerator {
    ERDOS_RENYI("erdos-renyi"),
    WATTS_STROGATZ("watts-strogatz"),
    BARABASI_ALBERT("barabasi-albert");

    private final String configName;

    GraphGenerator(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static List<String> configNames() {
        List<String> names = new ArrayList<>();
        for (GraphGenerator g : values()) {
            names.add(g.configName);
        }
        return List.copyOf(names);
    }

    public static GraphGenerator parse(String name) {
        for (GraphGenerator g : values()) {
            if (g.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        throw new ConfigException("unknown graph generator '" + name + "', expected one of " + configNames());
    }
}
