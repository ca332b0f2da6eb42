package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.kernel.Sampling;
import org.prunelab.stages.linalg.Numerics;
import org.prunelab.stages.prune.Masks;

/**
 * {@code runtime.sampling: counter} in the trainer: a short training (CD-1 and PCD-3, dense and 95 %
 * sparse masks) gives the same bits at 1 and 2 threads (all of it with the sparse kernel; the sampling
 * and elementwise work with the dense one, whose GEMM rounds by its thread count), continues bit for bit from a copied state in
 * a new trainer (as after a kill), keeps pruned weights at exactly 0, really draws other samples than
 * the sequential stream, and learns as much (reconstruction error of the training rows falls by a
 * similar amount). Shapes are large enough for the elementwise work and the products to be split.
 */
class RbmCounterSamplingTest {
    private static final int NV = 240, NH = 130, BATCH = 50, ROWS = 300, UPDATES = 9;
    private static final long SEED = 3;

    @Test
    void counterTrainingIsBitIdenticalAcrossThreadCountsAndResume() {
        int before = Numerics.threads();
        try {
            double[] data = TestRbms.binary(ROWS, NV, 0.15, 11);
            for (double sparsity : new double[] {0.0, 0.95}) {
                for (String algorithm : new String[] {"cd", "pcd"}) {
                    check(data, sparsity, algorithm, algorithm + " s=" + sparsity);
                }
            }
        } finally {
            Numerics.setThreads(before);
        }
    }

    private static void check(double[] data, double sparsity, String algorithm, String where) {
        Rbm start = start(sparsity);
        TrainingSettings s = new TrainingSettings(algorithm, algorithm.equals("pcd") ? 3 : 1, 0.05, 0.5, 0.9, 1, 1e-3,
                BATCH, BATCH);
        // The sparse kernel's products have the same bits at any thread count, so the whole training
        // must too. The dense GEMM's rounding depends on its thread count (Numerics: "never what is
        // computed beyond rounding"), so there the products keep 2 threads and only the sampling's change.
        boolean sparse = sparsity >= 0.9;
        RbmTrainer.State one = run(start, s, data, 0, UPDATES, null, Sampling.COUNTER, sparse ? 1 : 2, 1);
        RbmTrainer.State two = run(start, s, data, 0, UPDATES, null, Sampling.COUNTER, 2, 2);
        assertSame(one, two, where + ": 1 vs 2 threads");
        RbmTrainer.State half = run(start, s, data, 0, 5, null, Sampling.COUNTER, 2, 2);
        assertSame(two, run(start, s, data, 5, UPDATES, half.copy(), Sampling.COUNTER, 2, 2),
                where + ": resumed at update 5 (crossing the epoch boundary at 6)");
        for (int j = 0; j < two.rbm.w.length; j++) {
            if (two.rbm.mask[j] == 0) {
                assertEquals(0L, Double.doubleToRawLongBits(two.rbm.w[j]), where + ": pruned w[" + j + "]");
                assertEquals(0L, Double.doubleToRawLongBits(two.velW[j]), where + ": pruned velW[" + j + "]");
            }
        }
        RbmTrainer.State sequential = run(start, s, data, 0, UPDATES, null, Sampling.SEQUENTIAL, 2, 2);
        assertFalse(Arrays.equals(sequential.rbm.w, two.rbm.w), where + ": counter sampling drew the sequential samples");
        double initial = reconstructionError(start, data);
        double dropCounter = initial - reconstructionError(two.rbm, data);
        double dropSequential = initial - reconstructionError(sequential.rbm, data);
        assertTrue(dropCounter > 0.0 && dropSequential > 0.0, where + ": no learning, drops " + dropCounter + " / "
                + dropSequential);
        assertEquals(dropSequential, dropCounter, 0.25 * dropSequential,
                where + ": the fall of the reconstruction error differs by more than 25 % between the samplings");
    }

    @Test
    void samplingKeyDefaultsToSequentialAndRefusesUnknownValues() {
        StageConfig plain = StageConfig.resolve(List.of(Sampling.KEY), Map.of(), "test.yaml");
        assertEquals(Sampling.SEQUENTIAL, Sampling.of(plain));
        StageConfig counter = StageConfig.resolve(List.of(Sampling.KEY), Map.of("runtime.sampling", "counter"), "t.yaml");
        assertEquals(Sampling.COUNTER, Sampling.of(counter));
        assertTrue(RbmTrainingKeys.of("train").keys().contains(Sampling.KEY), "train steps declare runtime.sampling");
        ConfigException e = assertThrows(ConfigException.class, () -> StageConfig.resolve(List.of(Sampling.KEY),
                Map.of("runtime.sampling", "philox"), "exp.yaml"));
        assertTrue(e.getMessage().contains("runtime.sampling") && e.getMessage().contains("philox")
                && e.getMessage().contains("counter"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Sampling.parse("random"));
        assertTrue(p.getMessage().contains("runtime.sampling") && p.getMessage().contains("random"), p.getMessage());
    }

    private static Rbm start(double sparsity) {
        SplittableRandom rng = new SplittableRandom(5);
        double[] means = new double[NV];
        Arrays.fill(means, 0.15);
        return Rbm.initialise(NV, NH, means, 0.1, rng).withMask(Masks.random(NV * NH, sparsity, rng));
    }

    /** Updates [from, to) in a fresh kernel and trainer, built at the given thread counts. */
    private static RbmTrainer.State run(Rbm start, TrainingSettings s, double[] data, int from, int to,
            RbmTrainer.State state, Sampling sampling, int kernelThreads, int trainerThreads) {
        Rbm model = state == null ? start.copy() : state.rbm;
        Numerics.setThreads(kernelThreads);
        MaskedDenseKernel kernel = model.sparsity() >= 0.9 ? MaskedDenseKernels.sparse(model) : MaskedDenseKernels.dense();
        Numerics.setThreads(trainerThreads);
        RbmTrainer trainer = new RbmTrainer(s, kernel);
        RbmTrainer.State st = state == null ? trainer.initialState(model, data, ROWS, Seeds.stream(SEED, -1)) : state;
        int batches = ROWS / BATCH;
        for (int u = from; u < to; u++) {
            int epoch = u / batches, batch = u % batches;
            double[] rows = Arrays.copyOfRange(data, batch * BATCH * NV, (batch + 1) * BATCH * NV);
            trainer.update(st, rows, BATCH, epoch, UpdateNoise.of(sampling, SEED, epoch, batch));
        }
        return st;
    }

    /** Mean squared error of the mean-field reconstruction of every training row. */
    private static double reconstructionError(Rbm rbm, double[] data) {
        return RbmMetrics.reconstructionError(rbm, MaskedDenseKernels.dense(), data, ROWS);
    }

    private static void assertSame(RbmTrainer.State x, RbmTrainer.State y, String where) {
        assertArrayEquals(x.rbm.w, y.rbm.w, where + " w");
        assertArrayEquals(x.rbm.a, y.rbm.a, where + " a");
        assertArrayEquals(x.rbm.b, y.rbm.b, where + " b");
        assertArrayEquals(x.velW, y.velW, where + " velW");
        assertArrayEquals(x.velA, y.velA, where + " velA");
        assertArrayEquals(x.chains, y.chains, where + " chains");
    }
}
