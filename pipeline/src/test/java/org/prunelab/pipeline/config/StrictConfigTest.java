package org.prunelab.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.plan.EngineSettings;
import org.prunelab.stages.config.ConfigException;

/**
 * Issue 15, finding 3: configs were silently changed by duplicate keys (last wins), aliases (read
 * as the anchor's name) and nulls (read as "use the default"). Each is now an error naming the
 * file, the line and the key.
 */
class StrictConfigTest {
    @TempDir
    Path dir;

    private ConfigException refused(String yaml, String... overrides) throws Exception {
        Path file = dir.resolve("cfg.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ConfigException.class, () -> ExperimentConfig.load(file, List.of(overrides)));
    }

    private static void says(ConfigException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void duplicateSectionIsRefusedWithBothLines() throws Exception {
        says(refused("seed: 1\ntrain:\n  learning_rate: 0.1\nprune: {sparsity: 0.5}\ntrain:\n  epochs: 3\n"),
                "cfg.yaml", "line 5", "duplicate key 'train'", "first at line 2");
    }

    @Test
    void duplicateNestedKeyIsRefusedWithItsDottedName() throws Exception {
        says(refused("train:\n  epochs: 3\n  epochs: 4\n"), "line 3", "duplicate key 'train.epochs'");
    }

    @Test
    void duplicateKeyInAFlowMappingIsRefused() throws Exception {
        says(refused("data: {train_limit: 10, train_limit: 20}\n"), "duplicate key 'data.train_limit'");
    }

    @Test
    void aliasIsRefusedInsteadOfReadAsTheAnchorName() throws Exception {
        says(refused("x: &d hello\ndescription: *d\n"), "cfg.yaml", "line 1", "anchor '&d'");
        says(refused("description: *d\n"), "alias '*d'", "description");
    }

    @Test
    void mergeKeysAreRefused() throws Exception {
        says(refused("base: &b {epochs: 2}\ntrain:\n  <<: *b\n"), "anchor '&b'");
    }

    @Test
    void tildeNullIsRefusedNamingTheKey() throws Exception {
        says(refused("seed: 1\ntrain:\n  learning_rate: ~\n"), "cfg.yaml", "line 3", "key 'train.learning_rate'",
                "no value", "remove the key");
    }

    @Test
    void emptyValueAndTheWordNullAreRefused() throws Exception {
        says(refused("seed:\n"), "line 1", "key 'seed'", "no value");
        says(refused("prune: {sparsity: null}\n"), "key 'prune.sparsity'", "no value");
        says(refused("prune: {sparsity: [0.5, ~]}\n"), "key 'prune.sparsity[1]'", "no value");
    }

    @Test
    void quotedTildeIsText() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "description: '~'\n");
        assertEquals("~", ExperimentConfig.load(file, List.of()).flat().get("description"));
    }

    @Test
    void nullOverrideIsRefused() throws Exception {
        says(refused("seed: 1\n", "train.epochs=~"), "--set train.epochs=~", "no value");
        says(refused("seed: 1\n", "train.epochs=null"), "--set train.epochs=null", "no value");
    }

    @Test
    void foreignTagsAndSecondDocumentsAreRefused() throws Exception {
        says(refused("seed: !!javax.script.ScriptEngineManager 1\n"), "line 1", "key 'seed'", "tag");
        says(refused("seed: 1\n---\nseed: 2\n"), "line 2", "second YAML document");
        Path file = dir.resolve("std.yaml");
        Files.writeString(file, "description: !!str 12\n");
        assertEquals("12", ExperimentConfig.load(file, List.of()).flat().get("description"));
    }

    @Test
    void complexKeyIsRefused() throws Exception {
        says(refused("? [a, b]\n: 1\n"), "a key must be plain text");
    }

    @Test
    void byteOrderMarkIsAccepted() throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, ("\uFEFFseed: 4\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(4L, ExperimentConfig.load(file, List.of()).flat().get("seed"));
    }

    @Test
    void nonUtf8ConfigIsNamed() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'d', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfig.load(file, List.of()));
        says(e, "latin1.yaml", "not UTF-8");
    }

    /** Finding 7: a description over MLflow's limit used to fail mid-run with "unknown run reference". */
    @Test
    void descriptionOverMlflowLimitIsRefusedWhenTheConfigIsRead() throws Exception {
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, "description: " + "x".repeat(EngineSettings.MLFLOW_DESCRIPTION_LIMIT + 1) + "\n");
        ExperimentConfig config = ExperimentConfig.load(file, List.of());
        ConfigException e = assertThrows(ConfigException.class,
                () -> EngineSettings.resolve(config.flat(), config.source()));
        says(e, "long.yaml", "key 'description'", "at most 5000 characters", "5001 characters");
        assertTrue(e.getMessage().length() < 400, "the 5,001 characters are not repeated: " + e.getMessage().length());

        Files.writeString(file, "description: " + "x".repeat(EngineSettings.MLFLOW_DESCRIPTION_LIMIT) + "\n");
        ExperimentConfig atLimit = ExperimentConfig.load(file, List.of());
        assertEquals(5000, EngineSettings.resolve(atLimit.flat(), atLimit.source()).description().length());
    }
}
