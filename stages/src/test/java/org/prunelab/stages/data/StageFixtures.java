package org.prunelab.stages.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.TestStageContext;

/**
 * Synthetic upstream steps for stage tests: a tiny labelled image set in which class y lights a
 * class-specific set of pixels (so a classifier can learn it and an RBM has structure to model),
 * pushed through the real load-data stage (the RBM init step: {@code TestRbms.initStep}).
 */
public final class StageFixtures {
    public static final int ROWS = 6;
    public static final int COLS = 6;

    private StageFixtures() {
    }

    /** Runs load-data on {@code nTrain}/{@code nTest} synthetic 6x6 images; returns its output dir. */
    public static Path loadData(Path root, int nTrain, int nTest) throws Exception {
        Path raw = Files.createDirectories(root.resolve("raw"));
        write(raw, "train", nTrain, 11);
        write(raw, "t10k", nTest, 12);
        LoadDataStage stage = new LoadDataStage();
        Map<String, Object> config = Map.of("data.dir", raw.toString());
        return new TestStageContext(stage, "load-data", config, root.resolve("load-data")).run(stage);
    }

    private static void write(Path dir, String prefix, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = ROWS * COLS;
        byte[] pixels = new byte[n * d];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            int y = r % 10;
            labels[r] = y;
            for (int i = 0; i < d; i++) {
                boolean on = i % 10 == y || (i + 3) % 12 == y;
                if (rng.nextDouble() < 0.05) {
                    on = !on;
                }
                pixels[r * d + i] = (byte) (on ? 200 + rng.nextInt(56) : rng.nextInt(60));
            }
        }
        ImageDataset data = new ImageDataset(pixels, labels, ROWS, COLS, prefix);
        IdxWriter.write(data, dir.resolve(prefix + "-images-idx3-ubyte"), dir.resolve(prefix + "-labels-idx1-ubyte"));
    }
}
