package org.prunelab.stages.recurrent;

import java.util.SplittableRandom;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.data.reber.ReberSetGenerator;

/**
 * {@code make bench}: training throughput (forward + backward, samples/s) of the Reber classifier,
 * 3 recurrent layers of 50, batch 32, on generated Reber strings, per cell, dense and with 90 % of
 * the recurrent weights pruned. Prints figures; never passes or fails on them.
 */
public final class RecurrentBench {
    private RecurrentBench() {
    }

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        ReberSet data = ReberSetGenerator.generate(new ReberSetGenerator.Settings(2_000, 1_120, 880, 3_000, 10, 0.15), 1)
                .train();
        System.out.printf("%-9s %-8s %12s%n", "cell", "pruned", "samples/s");
        for (CellType cell : CellType.values()) {
            for (double pruned : new double[] {0.0, 0.9}) {
                RecurrentClassifier m = new RecurrentClassifier(cell, 50, new int[] {50, 50, 50}, 2, Readout.LAST_STEP);
                SplittableRandom rng = new SplittableRandom(7);
                m.initialise(rng);
                if (pruned > 0) {
                    for (RecurrentLayer l : m.layers()) {
                        for (Parameter p : new Parameter[] {l.inputWeights(), l.recurrentWeights()}) {
                            byte[] mask = new byte[p.size()];
                            for (int i = 0; i < mask.length; i++) {
                                mask[i] = (byte) (rng.nextDouble() < pruned ? 0 : 1);
                            }
                            p.setMask(mask);
                        }
                    }
                }
                run(m, data, 5);                       // warm-up
                long t0 = System.nanoTime();
                run(m, data, batches);
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-9s %-8.2f %12.0f%n", cell.configName(), pruned, batches * 32 / secs);
            }
        }
    }

    private static void run(RecurrentClassifier m, ReberSet data, int batches) {
        String[] xs = new String[32];
        int[] ys = new int[32];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < 32; i++) {
                int idx = (b * 32 + i) % data.size();
                xs[i] = data.string(idx);
                ys[i] = data.isValid(idx) ? 1 : 0;
            }
            m.zeroGradients();
            m.lossAndGradients(xs, ys);
        }
    }
}
