package org.prunelab.pipeline.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.config.ConfigException;

class SearchSettingsTest {
    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("pipeline", "graph-ffn");
        flat.put("seed", 4L);
        for (int i = 0; i < keyValues.length; i += 2) {
            flat.put((String) keyValues[i], keyValues[i + 1]);
        }
        return flat;
    }

    @Test
    void searchKeysAreReadAndTakenOutOfTheCandidatesConfig() {
        Map<String, Object> flat = config("search.population", 5L, "search.arms", "random", "search.generators",
                "watts-strogatz, barabasi-albert");
        SearchSettings s = SearchSettings.of(flat, "x.yaml");
        assertEquals(5, s.population());
        assertEquals(List.of("random"), s.arms());
        assertEquals(2, s.space().generators().size());
        assertEquals(5, s.trainingsPerGeneration(), "defaults: 3 top + 2 held out");
        assertEquals(Map.of("pipeline", "graph-ffn", "seed", 4L), SearchSettings.withoutSearchKeys(flat));
    }

    @Test
    void badSearchSectionsAreRefusedWithTheKeyNamed() {
        var unknown = assertThrows(ConfigException.class, () -> SearchSettings.of(config("search.populaton", 5L), "x.yaml"));
        assertTrue(unknown.getMessage().contains("x.yaml: unknown key 'search.populaton'"), unknown.getMessage());
        var budget = assertThrows(ConfigException.class, () -> SearchSettings.of(config("search.offspring", 4L), "x.yaml"));
        assertTrue(budget.getMessage().contains("search.train_top + search.holdout (5) exceeds search.offspring (4)"),
                budget.getMessage());
        var elite = assertThrows(ConfigException.class, () -> SearchSettings.of(config("search.population", 3L,
                "search.elite", 4L), "x.yaml"));
        assertTrue(elite.getMessage().contains("search.elite (4) exceeds search.population (3)"), elite.getMessage());
        var arm = assertThrows(ConfigException.class, () -> SearchSettings.of(config("search.arms", "predictor,greedy"),
                "x.yaml"));
        assertTrue(arm.getMessage().contains("unknown arm 'greedy'"), arm.getMessage());
        var generator = assertThrows(ConfigException.class, () -> SearchSettings.of(config("search.generators", "kleinberg"),
                "x.yaml"));
        assertTrue(generator.getMessage().contains("unknown graph generator 'kleinberg'"), generator.getMessage());
    }
}
