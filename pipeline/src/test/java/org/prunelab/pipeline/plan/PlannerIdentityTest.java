package org.prunelab.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.config.ExperimentConfig;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.stages.config.ConfigException;

/**
 * A step's identity changes exactly when something that determines its output changes: a key it
 * reads, an upstream identity, the content of an input file; and not when a key only other steps
 * read changes, nor when an input file merely moves. (Code changes: {@link CodeFingerprintTest}.)
 */
class PlannerIdentityTest {
    private static final List<String> RBM_STEPS = List.of("load-data", "init", "prune-1", "train", "prune-2", "retrain",
            "evaluate");

    @TempDir
    Path tmp;

    private Map<String, String> identities(Path config, String... overrides) {
        Plan plan = new Planner(new StepStore(tmp.resolve("runs"))).plan(ExperimentConfig.load(config, List.of(overrides)));
        Map<String, String> ids = new LinkedHashMap<>();
        plan.steps().forEach(s -> ids.put(s.name(), s.identity().hash()));
        assertEquals(RBM_STEPS, List.copyOf(ids.keySet()));
        return ids;
    }

    private Path config(String... lines) throws Exception {
        return TinyConfigs.write(tmp, "c" + System.nanoTime() + ".yaml", "identity-test", lines);
    }

    /** The steps whose identity differs between two plans. */
    private static Set<String> changed(Map<String, String> a, Map<String, String> b) {
        Set<String> out = new java.util.TreeSet<>();
        a.forEach((step, id) -> {
            if (!id.equals(b.get(step))) {
                out.add(step);
            }
        });
        return out;
    }

    @Test
    void sameConfigSameIdentities() throws Exception {
        Path c = config();
        assertEquals(identities(c), identities(c));
    }

    @Test
    void aKeyOnlyEvaluateReadsChangesOnlyEvaluate() throws Exception {
        Path c = config();
        assertEquals(Set.of("evaluate"), changed(identities(c), identities(c, "evaluate.samples=7")));
    }

    @Test
    void aReadKeyChangesItsStepAndThroughUpstreamIdentitiesEverythingDownstream() throws Exception {
        Path c = config();
        // init reads init.weight_std; prune-1, train, ... read none of init's keys but run on its output.
        assertEquals(Set.of("init", "prune-1", "train", "prune-2", "retrain", "evaluate"),
                changed(identities(c), identities(c, "init.weight_std=0.02")));
    }

    @Test
    void settingAKeyToItsDefaultIsTheSameAsLeavingItOut() throws Exception {
        Path c = config();
        assertEquals(identities(c), identities(c, "init.weight_std=0.01", "evaluate.kernel=auto"));
    }

    @Test
    void runtimePrecisionIsPartOfTheTrainingStepsIdentitiesAndThreadsOfNone() throws Exception {
        Path c = config();
        Map<String, String> base = identities(c);
        // train, retrain and prune-2 (its lth-iterative arm trains) declare it; evaluate follows through upstream.
        assertEquals(Set.of("train", "prune-2", "retrain", "evaluate"),
                changed(base, identities(c, "runtime.precision=float32")));
        assertEquals(base, identities(c, "runtime.precision=float64"), "the default is left out of identities");
        assertEquals(base, identities(c, "runtime.threads=1"), "threads change no result: in no identity");
        ConfigException e = assertThrows(ConfigException.class, () -> identities(c, "runtime.precision=fp16"));
        assertTrue(e.getMessage().contains("runtime.precision") && e.getMessage().contains("fp16"), e.getMessage());
    }

    @Test
    void runtimeSamplingIsPartOfTheRbmTrainingStepsIdentitiesAtItsNonDefaultOnly() throws Exception {
        Path c = config();
        Map<String, String> base = identities(c);
        // Declared where runtime.precision is (train, retrain, prune-2's lth-iterative arm); evaluate follows.
        assertEquals(Set.of("train", "prune-2", "retrain", "evaluate"),
                changed(base, identities(c, "runtime.sampling=counter")));
        assertEquals(base, identities(c, "runtime.sampling=sequential"), "the default is left out of identities");
        ConfigException e = assertThrows(ConfigException.class, () -> identities(c, "runtime.sampling=philox"));
        assertTrue(e.getMessage().contains("runtime.sampling") && e.getMessage().contains("philox"), e.getMessage());
    }

    @Test
    void inputFilesCountByContentNotLocation() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("mnist-copy"));
        try (var files = Files.list(TestEnvironment.mnistDir())) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path original = config();
        Path moved = TinyConfigs.write(tmp, "moved.yaml", "identity-test",
                "data: {dir: '" + copy + "', train_limit: 300, test_limit: 100}");
        Map<String, String> base = identities(original);
        assertEquals(base, identities(moved), "the same bytes elsewhere");

        Path labels = copy.resolve("train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[8] = (byte) ((bytes[8] + 1) % 10); // first label, still a valid digit
        Files.write(labels, bytes);
        // The planner caches digests by (path, size, mtime): make the edit visible even within one clock tick.
        Files.setLastModifiedTime(labels, FileTime.fromMillis(Files.getLastModifiedTime(labels).toMillis() + 2000));
        assertEquals(Set.copyOf(RBM_STEPS), changed(base, identities(moved)), "one changed byte of input changes every step");
    }
}
