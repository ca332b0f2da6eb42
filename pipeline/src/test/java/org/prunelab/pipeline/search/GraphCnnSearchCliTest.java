package org.prunelab.pipeline.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;

/** {@code prunelab search} end to end with family (b) on generated CIFAR-10 batches: report written, re-run trains nothing. */
class GraphCnnSearchCliTest {
    @TempDir
    Path work;

    private static byte[] records(int n, int shift) {
        int record = 3073;
        byte[] b = new byte[n * record];
        for (int i = 0; i < n; i++) {
            int label = (i + shift) % 10;
            b[i * record] = (byte) label;
            for (int p = 0; p < 3072; p++) {
                // Class-dependent brightness in one colour plane: learnable, deterministic.
                int plane = p / 1024;
                b[i * record + 1 + p] = (byte) ((plane == label % 3 ? 150 + 10 * label : 40) + (p * 13 + i) % 30);
            }
        }
        return b;
    }

    private Path cifarDir() throws Exception {
        Path data = Files.createDirectories(work.resolve("cifar"));
        for (int k = 1; k <= 5; k++) {
            Files.write(data.resolve("data_batch_" + k + ".bin"), records(4, k));
        }
        Files.write(data.resolve("test_batch.bin"), records(6, 0));
        return data;
    }

    private Path config(Path data) throws Exception {
        Path config = work.resolve("nas.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: nas-cnn-tiny",
                "pipeline: graph-cnn",
                "seed: 3",
                "data: {dir: '" + data + "'}",
                "cifar: {validation: 5}",
                "model: {channels: 2, head_channels: 4, stem_stride: 4}",
                "train: {epochs: 1, batch_size: 5, eval_batch_size: 8}",
                "search: {seeds: 1, population: 2, generations: 1, offspring: 3, train_top: 1, holdout: 1, elite: 1,",
                "         min_nodes: 4, max_nodes: 6, max_depth: 3}") + "\n");
        return config;
    }

    @Test
    void aDataFileEveryCandidateNeedsStopsTheSearchWithTheFileNamed() throws Exception {
        Path data = cifarDir();
        byte[] test = records(6, 0);
        Files.write(data.resolve("test_batch.bin"), java.util.Arrays.copyOf(test, test.length - 10));
        var run = TinyConfigs.cli("search", config(data).toString(), "--runs-dir", work.resolve("runs").toString(),
                "--no-tracking");
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains("test_batch.bin: truncated"), run.output());
        assertTrue(run.output().contains("every candidate of generation 0 failed (2 of them"), run.output());
    }

    @Test
    void searchesGraphWiredCnnsOnCifarBatchesAndResumesForFree() throws Exception {
        Path config = config(cifarDir());
        Path runs = work.resolve("runs");
        var first = TinyConfigs.cli("search", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(0, first.code(), first.output());
        // Population 2 (shared by both arms) + 1 generation x 2 trainings per arm, less any candidate both arms chose.
        long trained = TinyConfigs.committedSteps(runs, "graph-cnn.train", "train");
        assertTrue(trained >= 4 && trained <= 6, trained + " trainings\n" + first.output());
        Path reports = runs.resolve("reports");
        try (var dirs = Files.list(reports)) {
            Path report = dirs.findFirst().orElseThrow();
            for (String f : new String[] {"candidates.csv", "generations.csv", "plot-best-vs-trainings.png",
                    "plot-predictor-r2.png", "best-architecture.svg", "best-architecture.png", "summary.md"}) {
                assertTrue(Files.size(report.resolve(f)) > 0, f);
            }
            assertTrue(Files.readString(report.resolve("summary.md")).contains("82.4 %"));
        }
        var again = TinyConfigs.cli("search", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains(": 0 trainings computed now"), again.output());
        assertEquals(trained, TinyConfigs.committedSteps(runs, "graph-cnn.train", "train"));
    }
}
