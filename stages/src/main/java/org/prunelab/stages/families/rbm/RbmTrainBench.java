package org.prunelab.stages.families.rbm;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.data.IdxReader;
import org.prunelab.stages.data.ImageDataset;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.PrecisionKernels;
import org.prunelab.stages.kernel.Sampling;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.linalg.Precision;
import org.prunelab.stages.prune.Masks;

/**
 * Training throughput of the RBM kernels on real binarised MNIST (784x500, batch 100), for the
 * peer comparison in {@code make bench} ({@code scripts/bench/peers.py} pairs these lines with
 * sklearn's and numpy's). Not a test. One line per figure:
 *
 * <pre>BENCH name=rbm-cd1 impl=prunelab backend=dense precision=fp64 threads=1 sparsity=0.9 value=1172 unit=samples/s</pre>
 *
 * <p>Usage: {@code java -cp prunelab.jar org.prunelab.stages.families.rbm.RbmTrainBench MNIST_DIR [images=2000]
 * [algorithms=cd1,pcd10] [sparsities=0,0.9,0.99] [threads=1,2] [precisions=fp64] [samplings=sequential]}. Each figure is the best of
 * two passes over the images after a warm-up pass (PCD-10: a quarter of them). s = 0 uses the dense kernel
 * (GEMM), s > 0 the sparse one; {@code threads} is {@code runtime.threads} (GEMM, gathers and kept-weight
 * loops). {@code precisions} lists {@code runtime.precision}s as fp64/fp32: fp32 is the sgemm dense kernel,
 * measured at s = 0 only (the sparse kernel computes in fp64 whatever the precision). {@code samplings}
 * lists {@code runtime.sampling}s (sequential, counter); a counter line carries {@code sampling=counter}
 * after {@code sparsity}, a sequential line no sampling field (its format is the one before the key).
 */
public final class RbmTrainBench {
    private RbmTrainBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: RbmTrainBench MNIST_DIR [images] [algorithms] [sparsities]");
        }
        Path dir = Path.of(args[0]);
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String[] algorithms = (args.length > 2 ? args[2] : "cd1,pcd10").split(",");
        double[] sparsities = Arrays.stream((args.length > 3 ? args[3] : "0,0.9,0.99").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        int[] threadCounts = Arrays.stream((args.length > 4 ? args[4] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        List<Precision> precisions = Arrays.stream((args.length > 5 ? args[5] : "fp64").split(","))
                .map(RbmTrainBench::precision).toList();
        List<Sampling> samplings = Arrays.stream((args.length > 6 ? args[6] : "sequential").split(","))
                .map(Sampling::parse).toList();
        ImageDataset train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"));
        images = Math.min(images, train.count());
        double[] data = train.binarize(0.5, images);
        int nv = 784, nh = 500, batch = 100;
        Rbm base = Rbm.initialise(nv, nh, train.pixelMeans(images), 0.01, new SplittableRandom(42));
        for (int threads : threadCounts) {
            Numerics.setThreads(threads);
            for (String algorithm : algorithms) {
                TrainingSettings s = switch (algorithm) {
                    case "cd1" -> new TrainingSettings("cd", 1, 0.01, 0.5, 0.9, 5, 1e-4, batch, 0);
                    case "pcd10" -> new TrainingSettings("pcd", 10, 0.01, 0.5, 0.9, 5, 1e-4, batch, batch);
                    default -> throw new IllegalArgumentException("algorithm must be cd1 or pcd10, got " + algorithm);
                };
                for (Precision precision : precisions) {
                    for (double sparsity : sparsities) {
                        if (precision == Precision.FLOAT32 && sparsity != 0.0) {
                            continue; // the sparse kernel has no fp32 path
                        }
                        Rbm rbm = sparsity == 0.0 ? base
                                : base.withMask(Masks.random(nv * nh, sparsity, new SplittableRandom(7)));
                        // The dense kernel's cost does not depend on the mask: it is measured once, at s = 0.
                        String kernel = sparsity == 0.0 ? "dense" : "sparse";
                        // PCD-10 costs about five CD-1 updates: a quarter of the images keeps figures comparable in time.
                        int used = s.persistent() ? Math.max(batch, images / 4 / batch * batch) : images;
                        for (Sampling sampling : samplings) {
                            MaskedDenseKernel k = PrecisionKernels.masked(rbm, kernel, precision);
                            double rate = samplesPerSecond(rbm, s, k, data, used, sampling);
                            System.out.printf(Locale.ROOT, "BENCH name=rbm-%s impl=prunelab backend=%s precision=%s threads=%d"
                                    + " sparsity=%s%s value=%.1f unit=samples/s%n", algorithm, kernel, label(precision),
                                    threads, sparsity, sampling == Sampling.COUNTER ? " sampling=counter" : "", rate);
                        }
                    }
                }
            }
        }
    }

    /** fp64 / fp32 (the peers' spelling) or float64 / float32 (the config's). */
    static Precision precision(String name) {
        return switch (name) {
            case "fp64" -> Precision.FLOAT64;
            case "fp32" -> Precision.FLOAT32;
            default -> Precision.parse(name);
        };
    }

    static String label(Precision precision) {
        return precision == Precision.FLOAT32 ? "fp32" : "fp64";
    }

    /** Best samples/second over two passes over the first `images` images, after one warm-up pass (JIT). */
    private static double samplesPerSecond(Rbm rbm, TrainingSettings s, MaskedDenseKernel kernel, double[] data, int images,
                                           Sampling sampling) {
        int nv = rbm.nv, batch = s.batchSize();
        double best = 0.0;
        for (int pass = 0; pass < 3; pass++) {
            RbmTrainer trainer = new RbmTrainer(s, kernel);
            RbmTrainer.State st = trainer.initialState(rbm.copy(), data, images, new SplittableRandom(3));
            double[] rows = new double[batch * nv];
            long t0 = System.nanoTime();
            int done = 0;
            for (int b = 0; b + batch <= images; b += batch) {
                System.arraycopy(data, b * nv, rows, 0, batch * nv);
                trainer.update(st, rows, batch, 0, UpdateNoise.of(sampling, 3, 0, b / batch));
                done += batch;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (pass > 0) {
                best = Math.max(best, done / seconds);
            }
        }
        return best;
    }
}
