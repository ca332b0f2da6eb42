package org.prunelab.stages.families.mlp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.data.IdxReader;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;
import org.prunelab.stages.prune.LayerPruning;

/**
 * Training throughput of 784-100-10 (batch 64, SGD momentum 0.5, runtime.threads from the 4th argument) dense and at 80 %,
 * 90 % and 95 % compression with class-blinded masks, dense vs sparse kernel. Not a test.
 *
 * <p>Usage: {@code java -cp ... org.prunelab.stages.families.mlp.MlpBench [mnist-idx-dir] [images] [epochs] [threads=1]
 * [precisions=fp64]}; without a directory (or if it lacks the files) it uses random inputs, which cost the same.
 * {@code precisions} lists {@code runtime.precision}s as fp64/fp32; fp32 (the sgemm dense kernel) is measured on the
 * dense network only, since the sparse kernel computes in fp64 whatever the precision.
 */
public final class MlpBench {
    private MlpBench() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        List<String> precisions = List.of((args.length > 4 ? args[4] : "fp64").split(","));
        for (String p : precisions) {
            if (!p.equals("fp64") && !p.equals("fp32")) {
                throw new IllegalArgumentException("precisions must be fp64 and/or fp32, got " + p);
            }
        }
        Numerics.setThreads(threads);
        double[] x;
        int[] y;
        Path dir = args.length > 0 ? Path.of(args[0]) : null;
        if (dir != null && Files.exists(dir.resolve("train-images-idx3-ubyte"))) {
            ImageDataset train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"));
            images = Math.min(images, train.count());
            x = MlpData.normalised(train, images);
            y = new int[images];
            for (int i = 0; i < images; i++) {
                y[i] = train.label(i);
            }
            System.out.println("data: " + images + " MNIST training images from " + dir);
        } else {
            SplittableRandom rng = new SplittableRandom(1);
            x = new double[images * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (rng.nextDouble() - MlpData.MEAN) / MlpData.STD;
            }
            y = new int[images];
            for (int i = 0; i < images; i++) {
                y[i] = rng.nextInt(10);
            }
            System.out.println("data: " + images + " random 784-pixel images");
        }
        Mlp dense = Mlp.initialise(new int[] {784, 100, 10}, new SplittableRandom(7));
        boolean[] all = LayerPruning.layers(dense.layers(), true);
        int bs = 64;
        System.out.printf(Locale.ROOT, "%-12s %-16s %-12s %12s %12s %8s%n", "compression", "layer densities",
                "kernel", "samples/s", "ms/epoch", "speedup");
        for (double c : new double[] {0.0, 0.8, 0.9, 0.95}) {
            Mlp model = c == 0.0 ? dense : dense.withMasks(
                    LayerPruning.oneShotTo(dense.groups(), LayerPruning.Method.CLASS_BLINDED, all, c, null));
            double denseRate = 0;
            for (String run : new String[] {"dense/fp64", "sparse/fp64", "dense/fp32"}) {
                String kernel = run.substring(0, run.indexOf('/')), precision = run.substring(run.indexOf('/') + 1);
                if (!precisions.contains(precision) || (precision.equals("fp32") && c != 0.0)) {
                    continue;
                }
                MlpTrainer.State st = MlpTrainer.State.fresh(model.copy());
                MlpPass pass = MlpPass.of(st.mlp, kernel, precision.equals("fp32") ? Precision.FLOAT32 : Precision.FLOAT64);
                MlpTrainer trainer = new MlpTrainer(OptimizerSettings.sgd(0.5), pass);
                double[] bx = new double[bs * 784];
                int[] by = new int[bs];
                double best = Double.MAX_VALUE;
                for (int e = 0; e <= epochs; e++) { // epoch 0 warms up the JIT
                    long t0 = System.nanoTime();
                    for (int start = 0; start < images; start += bs) {
                        int n = Math.min(bs, images - start);
                        System.arraycopy(x, start * 784, bx, 0, n * 784);
                        System.arraycopy(y, start, by, 0, n);
                        trainer.update(st, bx, by, n, 0.01);
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (e > 0) {
                        best = Math.min(best, s);
                    }
                }
                double rate = images / best;
                if (run.equals("dense/fp64")) {
                    denseRate = rate;
                }
                System.out.printf(Locale.ROOT, "%-12s %-16s %-12s %12.0f %12.1f %7.2fx%n",
                        String.format(Locale.ROOT, "%.0f %%", 100 * st.mlp.compression()),
                        String.format(Locale.ROOT, "%.3f/%.3f", st.mlp.density(0), st.mlp.density(1)), run, rate,
                        1000 * best, denseRate == 0 ? Double.NaN : rate / denseRate);
                System.out.printf(Locale.ROOT, "BENCH name=mlp-sgd impl=prunelab backend=%s precision=%s threads=%d"
                        + " compression=%.0f value=%.1f unit=samples/s%n", kernel, precision, threads, 100 * c, rate);
            }
        }
    }
}
