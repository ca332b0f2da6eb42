package org.prunelab.stages.families.mlp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.IdxWriter;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.io.Digests;
import org.prunelab.stages.prune.Masks;

/** Small synthetic image classification data (10 classes of noisy prototypes) and random MLPs for tests. */
public final class MlpTestData {
    private MlpTestData() {
    }

    /** Writes IDX files and a load-data output ({@code dataset.json}) into {@code dir}; side × side images. */
    public static Path dataStep(Path dir, int train, int test, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        int f = side * side;
        byte[][] protos = new byte[ImageDataset.CLASSES][f];
        for (byte[] p : protos) {
            for (int i = 0; i < f; i++) {
                p[i] = (byte) (rng.nextDouble() < 0.3 ? 220 : 0);
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (String split : new String[] {"train", "test"}) {
            int n = split.equals("train") ? train : test;
            byte[] pixels = new byte[n * f];
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                int c = rng.nextInt(ImageDataset.CLASSES);
                labels[r] = c;
                for (int i = 0; i < f; i++) {
                    int v = Byte.toUnsignedInt(protos[c][i]);
                    if (rng.nextDouble() < 0.15) {
                        v = v == 0 ? 200 : 0; // pixel noise
                    }
                    pixels[r * f + i] = (byte) v;
                }
            }
            Path images = dir.resolve(split + "-images");
            Path lab = dir.resolve(split + "-labels");
            IdxWriter.write(new ImageDataset(pixels, labels, side, side, "synthetic"), images, lab);
            files.put(split + "-images", images.toString());
            files.put(split + "-labels", lab.toString());
            digests.put(split + "-images", Digests.sha256(images));
            digests.put(split + "-labels", Digests.sha256(lab));
        }
        new DatasetRef("idx", files, digests, 0, 0, 0.5, train, test, side, side).write(dir);
        return dir;
    }

    /** A random MLP with a random mask of the given sparsity per layer (pruned weights 0). */
    public static Mlp random(int[] sizes, double sparsity, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp dense = Mlp.initialise(sizes, rng);
        byte[][] masks = new byte[dense.layers()][];
        for (int l = 0; l < masks.length; l++) {
            masks[l] = org.prunelab.stages.prune.Masks.random(dense.weights(l), sparsity, rng);
        }
        return dense.withMasks(masks);
    }

    public static double[] normal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * rng.nextDouble() - 1;
        }
        return x;
    }

    public static int[] labels(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }
}
