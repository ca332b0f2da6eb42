package org.prunelab.pipeline.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;

/** {@code prunelab run-steps}, what a cluster job runs: exactly its steps, and only when it is safe. */
class RunStepsTest {
    @TempDir
    Path work;

    @Test
    void runsExactlyTheNamedStepsAndRefusesWhatIsNotSafe() throws Exception {
        Path config = TinyConfigs.write(work, "one.yaml", "run-steps", "model: {hidden: 4}",
                "reprune: {sparsity: [0.5, 0.8]}", "train: {epochs: 1, batch_size: 50, monitor_samples: 20}");
        Path runs = work.resolve("runs");
        String[] common = {"--runs-dir", runs.toString(), "--no-tracking"};

        var early = TinyConfigs.cli(concat(new String[] {"run-steps", config.toString(), "--point", "1", "--steps",
                "train"}, common));
        assertEquals(1, early.code(), early.output());
        assertTrue(early.output().contains("step 'load-data'") && early.output().contains("is not finished"),
                early.output());

        var changed = TinyConfigs.cli(concat(new String[] {"run-steps", config.toString(), "--point", "0", "--steps",
                "load-data", "--expect", "0123456789abcdef"}, common));
        assertEquals(2, changed.code(), changed.output());
        assertTrue(changed.output().contains("0123456789abcdef was submitted"), changed.output());

        var chain = TinyConfigs.cli(concat(new String[] {"run-steps", config.toString(), "--point", "1", "--steps",
                "load-data,init,prune-1"}, common));
        assertEquals(0, chain.code(), chain.output());
        assertEquals(1, TinyConfigs.committedSteps(runs, "rbm.init", "init"));
        assertEquals(1, TinyConfigs.committedSteps(runs, "rbm.prune", "prune-1"));
        assertEquals(0, TinyConfigs.committedSteps(runs, "rbm.train", "train"), "nothing beyond the chain runs");

        var noPoint = TinyConfigs.cli(concat(new String[] {"run-steps", config.toString(), "--point", "7", "--steps",
                "train"}, common));
        assertEquals(2, noPoint.code(), noPoint.output());
        assertTrue(noPoint.output().contains("no point 7"), noPoint.output());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
