package org.prunelab.stages.families.rbm;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.Masks;

/**
 * Micro-benchmark (not a test): samples/second of one CD-1 epoch pass, 784x500, batch 100, on
 * synthetic binary data, dense vs sparse kernel across sparsities. Used to calibrate
 * {@link MaskedDenseKernels#AUTO_SPARSE_THRESHOLD}.
 *
 * <pre>java -cp stages/target/classes:ejml-core.jar:ejml-ddense.jar org.prunelab.stages.families.rbm.KernelBench [samples] [pixelDensity]</pre>
 * pixelDensity (default 0.13, about binarised MNIST) is the fraction of pixels that are on; the
 * sparse kernel skips off pixels, so it matters.
 */
public final class KernelBench {
    private KernelBench() {
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        double density = args.length > 1 ? Double.parseDouble(args[1]) : 0.13;
        int nv = 784, nh = 500, batch = 100;
        SplittableRandom rng = new SplittableRandom(42);
        double[] data = new double[samples * nv];
        for (int j = 0; j < data.length; j++) {
            data[j] = rng.nextDouble() < density ? 1.0 : 0.0;
        }
        double[] means = new double[nv];
        Arrays.fill(means, density);
        Rbm base = Rbm.initialise(nv, nh, means, 0.01, rng);
        TrainingSettings s = new TrainingSettings("cd", 1, 0.01, 0.5, 0.9, 5, 1e-4, batch, 0);

        System.out.printf(Locale.ROOT, "CD-1 epoch, %dx%d, batch %d, %d samples, pixel density %.2f, java %s%n",
                nv, nh, batch, samples, density, System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-9s %14s %14s %9s%n", "sparsity", "dense [smp/s]", "sparse [smp/s]", "speed-up");
        // Warm-up: let the JIT compile both kernels' loops before anything is timed.
        Rbm warm = base.withMask(Masks.random(nv * nh, 0.5, new SplittableRandom(1)));
        epoch(warm, s, MaskedDenseKernels.dense(), data, samples, 1);
        epoch(warm, s, MaskedDenseKernels.sparse(warm), data, samples, 1);
        for (double sparsity : new double[] {0.0, 0.5, 0.8, 0.9, 0.95, 0.99}) {
            Rbm rbm = base.withMask(Masks.random(nv * nh, sparsity, new SplittableRandom(7)));
            double dense = epoch(rbm, s, MaskedDenseKernels.dense(), data, samples, 2);
            double sparse = epoch(rbm, s, MaskedDenseKernels.sparse(rbm), data, samples, 2);
            System.out.printf(Locale.ROOT, "%-9.2f %14.0f %14.0f %8.2fx%n", sparsity, dense, sparse, sparse / dense);
        }
    }

    /** Best samples/second over `repeats` full CD-1 epoch passes, each from a fresh copy of the model. */
    private static double epoch(Rbm rbm, TrainingSettings s, MaskedDenseKernel kernel, double[] data, int samples, int repeats) {
        int nv = rbm.nv, batch = s.batchSize();
        double best = 0.0;
        for (int rep = 0; rep < repeats; rep++) {
            RbmTrainer trainer = new RbmTrainer(s, kernel);
            RbmTrainer.State st = trainer.initialState(rbm.copy(), data, samples, new SplittableRandom(3));
            double[] rows = new double[batch * nv];
            long t0 = System.nanoTime();
            for (int b = 0; b + batch <= samples; b += batch) {
                System.arraycopy(data, b * nv, rows, 0, batch * nv);
                trainer.update(st, rows, batch, 0, Seeds.stream(3, 0, b / batch));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, (samples / batch) * batch / seconds);
        }
        return best;
    }
}
