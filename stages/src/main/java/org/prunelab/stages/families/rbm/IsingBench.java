package org.prunelab.stages.families.rbm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.prunelab.stages.prune.Masks;

/**
 * Benchmark (not a test): wall time of the GIM mapping (30-node Gauss–Hermite) of a random 784x500
 * RBM, W ~ N(0, 0.05²), at the given sparsities, with the given number of threads.
 *
 * <pre>java -cp stages/target/classes:... org.prunelab.stages.families.rbm.IsingBench threads [sparsities...]</pre>
 */
public final class IsingBench {
    private IsingBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double[] sparsities = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToDouble(Double::parseDouble).toArray()
                : new double[] {0.95, 0.9, 0.8};
        int nv = 784, nh = 500;
        double[] means = new double[nv];
        Arrays.fill(means, 0.13);
        Rbm base = Rbm.initialise(nv, nh, means, 0.05, new SplittableRandom(42));
        System.out.printf(Locale.ROOT, "GIM mapping %dx%d, GH30, %d threads%n", nv, nh, threads);
        IsingMapping.compute(base.withMask(Masks.random(nv * nh, 0.99, new SplittableRandom(1))), 30, threads); // warm-up
        for (double s : sparsities) {
            Rbm rbm = base.withMask(Masks.random(nv * nh, s, new SplittableRandom(7)));
            long t0 = System.nanoTime();
            IsingMapping.Result r = IsingMapping.compute(rbm, 30, threads);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> m = r.summary(1e-3);
            System.out.printf(Locale.ROOT, "s=%.2f  %.1f s  ||J||_F=%.4g  nonzero=%.3f  |J|>1e-3: %.0f%n", s, seconds,
                    m.get("gim.J.frobenius"), m.get("gim.J.fraction_nonzero"), m.get("gim.J.above_threshold"));
        }
    }
}
