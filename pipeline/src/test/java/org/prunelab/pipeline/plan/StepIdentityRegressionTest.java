package org.prunelab.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

/**
 * Identities name directories of finished work, so their computation must not drift: a new key
 * whose default reproduces the old behaviour leaves existing identities valid (as open_lth omits
 * default hyperparameters from its directory names), and the hash of fixed ingredients is pinned.
 */
class StepIdentityRegressionTest {
    private static final List<ConfigKey<?>> KEYS = List.of(
            ConfigKey.integer("train.epochs", 10, 1, 1000, "epochs"),
            ConfigKey.real("train.lr", 0.1, 0.0, 10.0, "learning rate"),
            ConfigKey.choice("train.kernel", "auto", List.of("auto", "dense", "sparse"), "kernel"));
    private static final ConfigKey<Boolean> NEW_KEY = ConfigKey.bool("train.nesterov", false, "added in a later release");

    private static StepIdentity identity(List<ConfigKey<?>> keys, Map<String, Object> config) {
        StageConfig resolved = StageConfig.resolve(keys, config, "test");
        SortedMap<String, String> upstream = new TreeMap<>(Map.of("prune-1", "ab".repeat(32)));
        SortedMap<String, String> inputs = new TreeMap<>();
        return new StepIdentity("rbm.train", 1, "cd".repeat(32), resolved.identityValues(keys), upstream, inputs);
    }

    private static List<ConfigKey<?>> withNewKey() {
        List<ConfigKey<?>> keys = new ArrayList<>(KEYS);
        keys.add(NEW_KEY);
        return keys;
    }

    @Test
    void aNewKeyAtItsDefaultLeavesIdentitiesUnchanged() {
        for (Map<String, Object> config : List.of(Map.<String, Object>of(), Map.<String, Object>of("train.epochs", 20),
                Map.<String, Object>of("train.lr", 0.05, "train.kernel", "sparse"))) {
            assertEquals(identity(KEYS, config).hash(), identity(withNewKey(), config).hash(), config.toString());
        }
    }

    @Test
    void aNewKeyAwayFromItsDefaultIsANewIdentity() {
        Map<String, Object> config = Map.of("train.nesterov", true);
        assertNotEquals(identity(KEYS, Map.of()).hash(), identity(withNewKey(), config).hash());
    }

    @Test
    void everyIngredientCounts() {
        StepIdentity base = identity(KEYS, Map.of("train.epochs", 20));
        StepIdentity[] variants = {
            new StepIdentity("rbm.train2", 1, base.codeDigest(), base.config(), base.upstream(), base.externalInputs()),
            new StepIdentity(base.kind(), 2, base.codeDigest(), base.config(), base.upstream(), base.externalInputs()),
            new StepIdentity(base.kind(), 1, "ef".repeat(32), base.config(), base.upstream(), base.externalInputs()),
            identity(KEYS, Map.of("train.epochs", 21)),
            new StepIdentity(base.kind(), 1, base.codeDigest(), base.config(), new TreeMap<>(Map.of("prune-1", "00".repeat(32))),
                    base.externalInputs()),
            new StepIdentity(base.kind(), 1, base.codeDigest(), base.config(), base.upstream(),
                    new TreeMap<>(Map.of("/data/x", "11".repeat(32)))),
        };
        for (StepIdentity v : variants) {
            assertNotEquals(base.hash(), v.hash(), v.toString());
        }
    }

    /**
     * The canonical JSON and its SHA-256 for fixed ingredients. If this fails, every finished step
     * of every user would be recomputed: change it only on purpose, in a release that says so.
     */
    @Test
    void theHashOfFixedIngredientsIsPinned() {
        StepIdentity fixed = identity(KEYS, Map.of("train.epochs", 20, "train.kernel", "sparse"));
        assertEquals(new TreeMap<>(Map.of("train.epochs", 20, "train.kernel", "sparse")), fixed.config(),
                "keys at their default (train.lr) are left out");
        assertEquals(PINNED, fixed.hash());
    }

    /**
     * SHA-256 of the canonical JSON (keys sorted at every level, no spaces), derived independently:
     * {"code":"cdcd…","codeVersion":1,"config":{"train.epochs":20,"train.kernel":"sparse"},"inputs":{},
     * "kind":"rbm.train","upstream":{"prune-1":"abab…"}}
     */
    private static final String PINNED = "7a233c6db3a08cb2620c8c87f39151b38490bd74bfdb90d6f40a0a2c68badd39";
}
