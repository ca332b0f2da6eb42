package org.prunelab.pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small, deterministic CSV image sets (28x28, label first) and a fast config over them: the runs
 * that robustness tests break and repair, without touching the shared MNIST copy.
 */
public final class TinyCsvData {
    private TinyCsvData() {
    }

    /** {@code n} rows of label,784 pixels; the pixels are a fixed pattern of the row number. */
    public static String rows(int n, int seed) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int label = (i + seed) % 10;
            b.append(label);
            for (int p = 0; p < 784; p++) {
                int v = ((p * 31 + i * 17 + seed * 7 + label * 97) % 11 < 4) ? 255 : 0;
                b.append(',').append(v);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** A data directory with train.csv (60 rows) and test.csv (20 rows). */
    public static Path writeDir(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("train.csv"), rows(60, 1), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("test.csv"), rows(20, 2), StandardCharsets.UTF_8);
        return dir;
    }

    /** A fast RBM pipeline config over {@code dataDir}, plus extra YAML lines. */
    public static Path config(Path file, Path dataDir, String... extra) throws Exception {
        List<String> yaml = new ArrayList<>(List.of(
                "experiment: tiny-csv",
                "pipeline: rbm",
                "seed: 3",
                "data: {dir: '" + dataDir + "', format: csv}",
                "model: {hidden: 4}",
                "prune: {method: random, sparsity: 0.5}",
                "train: {epochs: 1, batch_size: 20, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: 0.6}",
                "retrain: {epochs: 1, batch_size: 20, monitor_samples: 20}",
                "evaluate: {samples: 4, gibbs_sweeps: 3, pll_samples: 10}"));
        yaml.addAll(List.of(extra));
        Files.writeString(file, String.join("\n", yaml) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
