package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.pipeline.plan.Pipelines;
import org.prunelab.stages.families.linreg.LinRegTrainStage;
import org.prunelab.stages.io.Npy;

/**
 * The toy family of the test sources ({@code org.prunelab.stages.families.linreg}, registered by one
 * line in the test resources' {@code META-INF/services}) runs through the whole pipeline: planner,
 * engine, commit, reuse, and resume from a checkpoint after a crash, ending bit-identical to an
 * uninterrupted run. It proves that a new family costs one package and one registration line.
 */
class ToyFamilyPipelineTest {
    @TempDir
    Path work;

    @AfterEach
    void disarm() {
        LinRegTrainStage.CRASH_AFTER_UPDATES.set(-1);
    }

    private Path config() throws Exception {
        Path config = work.resolve("linreg.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: toy-linreg",
                "pipeline: linreg",
                "seed: 5",
                "linreg: {samples: 240, features: 8, sparsity: 0.25, epochs: 12, batch_size: 20}",
                "runtime: {checkpoint_every_updates: 4, checkpoint_every_seconds: 0}",
                ""));
        return config;
    }

    private static Result run(Path config, Path runs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new Main(print, print).execute(new String[] {"run", config.toString(), "--runs-dir", runs.toString(),
                "--no-tracking"});
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    private record Result(int code, String output) {
    }

    @Test
    void theToyFamilyIsRegisteredBesideTheRealOnes() {
        assertEquals(List.of("graph-cnn", "graph-ffn", "graph-rnn", "linreg", "mlp", "rbm", "rbm-study", "rnn"),
                Pipelines.FAMILIES);
        assertEquals(List.of("load-data", "init", "train", "evaluate"),
                Pipelines.definition("linreg").steps().stream().map(s -> s.name()).toList());
    }

    @Test
    void runsLearnsIsReusedAndResumesBitIdenticallyAfterACrash() throws Exception {
        Path config = config();
        Path reference = work.resolve("reference");
        Result first = run(config, reference);
        assertEquals(0, first.code(), first.output());
        double testMse = new ObjectMapper().readTree(only(reference, "linreg.evaluate").resolve("evaluation.json").toFile())
                .get("test_mse").asDouble();
        double[] y = Npy.readDoubles(only(reference, "linreg.data").resolve("y.npy"));
        double mean = Arrays.stream(y, 180, 240).average().orElseThrow();
        double variance = Arrays.stream(y, 180, 240).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        // The random init mask may prune true weights, so the fit is judged against predicting the mean.
        assertTrue(testMse < 0.5 * variance, "test MSE " + testMse + " vs variance " + variance);

        // Issue 14: outputs are readable as the umask allows (0644 under 022), like any program's files.
        Path plain = Files.createFile(work.resolve("plain-file"));
        for (String kind : List.of("linreg.data", "linreg.train", "linreg.evaluate")) {
            try (Stream<Path> files = Files.list(only(reference, kind))) {
                for (Path f : files.toList()) {
                    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), f.toString());
                }
            }
        }

        Result again = run(config, reference);
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("nothing to do"), again.output());

        // 9 updates per epoch, 108 in all; checkpoints every 4 updates and at epoch ends: crash in update
        // 17 (epoch 2), after the checkpoint at update 16.
        Path runs = work.resolve("crashed");
        LinRegTrainStage.CRASH_AFTER_UPDATES.set(LinRegTrainStage.UPDATES_RUN.get() + 17);
        Result crashed = run(config, runs);
        assertEquals(1, crashed.code(), crashed.output());
        LinRegTrainStage.CRASH_AFTER_UPDATES.set(-1);

        long before = LinRegTrainStage.UPDATES_RUN.get();
        Result resumed = run(config, runs);
        assertEquals(0, resumed.code(), resumed.output());
        assertEquals(108 - 16, LinRegTrainStage.UPDATES_RUN.get() - before, "resumed from the checkpoint at update 16");
        for (String file : List.of("weights.npy", "mask.npy", "bias.npy")) {
            assertArrayEquals(Files.readAllBytes(only(reference, "linreg.train").resolve(file)),
                    Files.readAllBytes(only(runs, "linreg.train").resolve(file)), file + " differs after crash and resume");
        }
    }

    private static Path only(Path runs, String kind) throws Exception {
        try (Stream<Path> dirs = Files.list(runs.resolve("steps").resolve(kind))) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), kind + ": " + all);
            return all.get(0);
        }
    }
}
