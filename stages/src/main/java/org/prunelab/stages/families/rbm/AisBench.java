package org.prunelab.stages.families.rbm;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.prunelab.stages.families.rbm.AnnealedImportanceSampling.Schedule;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.Masks;

/**
 * Benchmark (not a test): wall time of AIS with M = 100 runs on a random 784x500 RBM at several
 * sparsities, with the dense and the sparse kernel ("auto" picks sparse from s = 0.3). By default the Salakhutdinov–Murray schedule is
 * scaled down by {@code factor} and the time per β step is extrapolated to the full K = 15,000;
 * {@code factor} = 1 times the full schedule.
 *
 * <pre>java -cp stages/target/classes:ejml-core.jar:ejml-ddense.jar org.prunelab.stages.families.rbm.AisBench [factor] [sparsities...]</pre>
 * The model: W ~ N(0, 0.01²) (protocol §3 initialisation), visible biases and base biases logit(0.13)
 * (about binarised MNIST's mean pixel density, which matters because the sparse kernel skips off
 * units), b = 0.
 */
public final class AisBench {
    private AisBench() {
    }

    public static void main(String[] args) {
        double factor = args.length > 0 ? Double.parseDouble(args[0]) : 0.02;
        double[] sparsities = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToDouble(Double::parseDouble).toArray()
                : new double[] {0.0, 0.8, 0.95};
        int nv = 784, nh = 500, runs = 100;
        double[] means = new double[nv];
        Arrays.fill(means, 0.13);
        Rbm base = Rbm.initialise(nv, nh, means, 0.01, new SplittableRandom(42));
        double[] baseBias = AnnealedImportanceSampling.baseBiases(means);
        Schedule schedule = Schedule.scaledSalakhutdinovMurray(factor);
        int full = Schedule.salakhutdinovMurray().intervals();
        System.out.printf(Locale.ROOT, "AIS %dx%d, M=%d, K=%d (%s), java %s, %d cores visible%n", nv, nh, runs,
                schedule.intervals(), factor == 1.0 ? "full schedule" : "S&M schedule x " + factor + ", extrapolated to K=" + full,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        // Warm-up so the JIT has compiled the loops before anything is timed.
        Rbm warm = base.withMask(Masks.random(nv * nh, 0.5, new SplittableRandom(1)));
        AnnealedImportanceSampling.estimate(warm, MaskedDenseKernels.sparse(warm), baseBias, runs, Schedule.linear(30), new SplittableRandom(1));
        AnnealedImportanceSampling.estimate(base, MaskedDenseKernels.dense(), baseBias, runs, Schedule.linear(30), new SplittableRandom(1));
        System.out.printf(Locale.ROOT, "%-9s %-7s %12s %14s %16s %10s%n", "sparsity", "kernel", "ms / step", "measured [s]",
                "K=" + full + " [s]", "log Z");
        for (double s : sparsities) {
            Rbm rbm = base.withMask(Masks.random(nv * nh, s, new SplittableRandom(7)));
            for (MaskedDenseKernel kernel : new MaskedDenseKernel[] {MaskedDenseKernels.dense(), MaskedDenseKernels.sparse(rbm)}) {
                long t0 = System.nanoTime();
                AnnealedImportanceSampling.Result r = AnnealedImportanceSampling.estimate(rbm, kernel, baseBias, runs, schedule,
                        new SplittableRandom(3));
                double seconds = (System.nanoTime() - t0) / 1e9;
                double perStep = seconds / schedule.intervals();
                System.out.printf(Locale.ROOT, "%-9.2f %-7s %12.2f %14.1f %16.0f %10.3f%n", s, kernel.name(), 1e3 * perStep,
                        seconds, perStep * full, r.logZ());
            }
        }
    }
}
