package org.prunelab.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;

class ExperimentConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void flattensNestingAndAppliesTypedOverrides() throws Exception {
        Path file = write("a.yaml", "seed: 3\ntrain:\n  epochs: 5\n  algorithm: pcd\n");
        ExperimentConfig config = ExperimentConfig.load(file, List.of("train.epochs=7", "prune.sparsity=0.25"));
        assertEquals(7L, config.flat().get("train.epochs"));
        assertEquals(0.25, config.flat().get("prune.sparsity"));
        assertEquals("pcd", config.flat().get("train.algorithm"));
        assertTrue(config.source().contains("a.yaml") && config.source().contains("train.epochs=7"));
    }

    @Test
    void invalidYamlNamesFileAndLine() throws Exception {
        Path file = write("broken.yaml", "seed: 1\ntrain:\n  epochs: [1, 2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains("broken.yaml") && e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentConfig.load(dir.resolve("nope.yaml"), List.of()));
        assertTrue(e.getMessage().contains("nope.yaml") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void yamlTagsCannotConstructObjects() throws Exception {
        Path file = write("evil.yaml", "seed: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n");
        // The strict reader refuses any tag that is not a plain YAML type before a value is read, so
        // the named classes are never instantiated. That is the one outcome: no object, and a clear
        // error naming file, line and key.
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(file, List.of()));
        assertTrue(e.getMessage().contains("evil.yaml, line 1") && e.getMessage().contains("'seed'")
                && e.getMessage().contains("is not supported"), e.getMessage());
    }

    @Test
    void unknownKeySuggestsTheClosestKnownOne() throws Exception {
        Path file = write("typo.yaml", "train:\n  epoch: 5\n");
        ExperimentConfig config = ExperimentConfig.load(file, List.of());
        ConfigException e = assertThrows(ConfigException.class,
                () -> config.rejectUnknownKeys(Set.of("train.epochs", "train.k")));
        assertTrue(e.getMessage().contains("typo.yaml") && e.getMessage().contains("'train.epoch'")
                && e.getMessage().contains("did you mean 'train.epochs'"), e.getMessage());
    }

    @Test
    void wrongTypeOrRangeNamesKeyAndValue() throws Exception {
        Path file = write("bad.yaml", "train:\n  epochs: -3\nprune:\n  sparsity: lots\n");
        ExperimentConfig config = ExperimentConfig.load(file, List.of());
        ConfigKey<Integer> epochs = ConfigKey.integer("train.epochs", 10, 0, 1000, "epochs");
        ConfigKey<Double> sparsity = ConfigKey.real("prune.sparsity", 0.0, 0.0, 1.0, "sparsity");
        ConfigException e1 = assertThrows(ConfigException.class,
                () -> StageConfig.resolve(List.of(epochs), config.flat(), config.source()));
        assertTrue(e1.getMessage().contains("bad.yaml") && e1.getMessage().contains("'train.epochs'")
                && e1.getMessage().contains("-3"), e1.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class,
                () -> StageConfig.resolve(List.of(sparsity), config.flat(), config.source()));
        assertTrue(e2.getMessage().contains("'prune.sparsity'") && e2.getMessage().contains("lots"), e2.getMessage());
    }

    @Test
    void overrideWithoutEqualsIsRejected() throws Exception {
        Path file = write("ok.yaml", "seed: 1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentConfig.load(file, List.of("train.epochs")));
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void undeclaredKeyReadIsAProgrammingError() {
        ConfigKey<Integer> declared = ConfigKey.integer("a.b", 1, 0, 5, "x");
        ConfigKey<Integer> other = ConfigKey.integer("a.c", 1, 0, 5, "y");
        StageConfig config = StageConfig.resolve(List.of(declared), java.util.Map.of(), "test");
        assertEquals(1, config.get(declared));
        assertThrows(IllegalStateException.class, () -> config.get(other));
    }
}
