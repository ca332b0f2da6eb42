package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.prune.LotteryTicket;
import org.prunelab.stages.prune.Masks;

class LotteryTicketTest {
    private static Rbm randomDense(int nv, int nh, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[nv * nh], a = new double[nv], b = new double[nh];
        for (int k = 0; k < w.length; k++) {
            w[k] = StableMath.gaussian(rng);
        }
        for (int i = 0; i < nv; i++) {
            a[i] = StableMath.gaussian(rng);
        }
        for (int mu = 0; mu < nh; mu++) {
            b[mu] = StableMath.gaussian(rng);
        }
        return new Rbm(nv, nh, w, a, b, Masks.dense(nv * nh));
    }

    @Test
    void rewindRestoresInitialSurvivorsBitForBit() {
        Rbm initial = randomDense(40, 9, 1);
        Rbm trained = randomDense(40, 9, 2);
        byte[] mask = LotteryTicket.globalMagnitude(trained.w, trained.mask, 0.7);
        Rbm ticket = trained.rewoundTo(initial, mask);
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0) {
                assertEquals(Double.doubleToRawLongBits(initial.w[k]), Double.doubleToRawLongBits(ticket.w[k]), "survivor " + k);
            } else {
                assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(ticket.w[k]), "pruned " + k);
            }
        }
        assertArrayEquals(initial.a, ticket.a, 0.0);
        assertArrayEquals(initial.b, ticket.b, 0.0);
        assertArrayEquals(mask, ticket.mask);
        assertEquals(0.7, ticket.sparsity(), 1e-12);
        // The ticket owns its arrays.
        ticket.a[0] += 1;
        assertTrue(ticket.a[0] != initial.a[0]);
    }

    @Test
    void rewindRefusesToReviveConnections() {
        Rbm initial = randomDense(10, 3, 1);
        Rbm trained = randomDense(10, 3, 2).withMask(Masks.random(30, 0.5, new SplittableRandom(3)));
        assertThrows(IllegalArgumentException.class, () -> trained.rewoundTo(initial, Masks.dense(30)));
        assertThrows(IllegalArgumentException.class, () -> trained.rewoundTo(randomDense(9, 3, 1), trained.mask));
    }

    @Test
    void globalMaskKeepsTheLargestMagnitudes() {
        Rbm trained = randomDense(50, 10, 4);
        byte[] mask = LotteryTicket.globalMagnitude(trained.w, trained.mask, 0.8);
        assertEquals(400, Masks.countZeros(mask));
        double minKept = Double.MAX_VALUE, maxPruned = 0;
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0) {
                minKept = Math.min(minKept, Math.abs(trained.w[k]));
            } else {
                maxPruned = Math.max(maxPruned, Math.abs(trained.w[k]));
            }
        }
        assertTrue(minKept >= maxPruned);
    }

    @Test
    void perUnitVariantGivesEachHiddenUnitExactlyItsShare() {
        int nv = 784, nh = 20;
        Rbm trained = randomDense(nv, nh, 5);
        // Make unit 0's weights huge so a global ranking would favour it; per unit must not.
        for (int i = 0; i < nv; i++) {
            trained.w[i * nh] *= 100;
        }
        byte[] mask = LotteryTicket.perUnitMagnitude(trained.w, trained.mask, nv, nh, 0.9);
        int keep = LotteryTicket.keptPerUnit(nv, 0.9);
        assertEquals(nv - Math.round(0.9 * nv), keep);
        assertEquals(78, keep);
        int[] kept = LotteryTicket.keptPerHiddenUnit(mask, nv, nh);
        for (int mu = 0; mu < nh; mu++) {
            assertEquals(keep, kept[mu], "unit " + mu);
            double minKept = Double.MAX_VALUE, maxPruned = 0;
            for (int i = 0; i < nv; i++) {
                double x = Math.abs(trained.w[i * nh + mu]);
                if (mask[i * nh + mu] != 0) {
                    minKept = Math.min(minKept, x);
                } else {
                    maxPruned = Math.max(maxPruned, x);
                }
            }
            assertTrue(minKept >= maxPruned, "unit " + mu + " keeps its own largest weights");
        }
        int[] globalKept = LotteryTicket.keptPerHiddenUnit(LotteryTicket.globalMagnitude(trained.w, trained.mask, 0.9), nv, nh);
        assertTrue(globalKept[0] > 700, "the global ranking keeps almost all of the big unit: " + globalKept[0]);
        // Iterating per unit: the second round prunes each unit's survivors further, never reviving.
        byte[] deeper = LotteryTicket.perUnitMagnitude(trained.w, mask, nv, nh, 0.95);
        assertTrue(LotteryTicket.isSubset(deeper, mask));
        assertThrows(IllegalArgumentException.class, () -> LotteryTicket.perUnitMagnitude(trained.w, deeper, nv, nh, 0.9));
    }

    @Test
    void iterativeScheduleComposesToTheTarget() {
        for (double s : new double[] {0.5, 0.8, 0.95, 0.99}) {
            for (int n : new int[] {1, 2, 5, 10}) {
                double q = LotteryTicket.perRoundFraction(s, n);
                assertEquals(1.0 - s, Math.pow(1.0 - q, n), 1e-12, "s=" + s + " n=" + n);
                double[] t = LotteryTicket.roundTargets(s, n);
                assertEquals(s, t[n - 1]);
                double survivors = 1.0;
                for (int r = 0; r < n; r++) {
                    survivors *= 1.0 - q; // each round removes q of the survivors
                    assertEquals(1.0 - survivors, t[r], 1e-12);
                }
            }
        }
        assertEquals(1.0 - Math.pow(0.2, 0.2), LotteryTicket.perRoundFraction(0.8, 5), 1e-15);

        // Five rounds of the global schedule on (re)trained weights: nested masks ending at exactly s.
        Rbm trained = randomDense(60, 10, 6);
        byte[] mask = Masks.dense(600);
        SplittableRandom rng = new SplittableRandom(7);
        for (int r = 1; r <= 5; r++) {
            double[] w = trained.w.clone();
            for (int k = 0; k < w.length; k++) {
                w[k] = mask[k] != 0 ? w[k] + 0.3 * StableMath.gaussian(rng) : 0.0; // "retrained" weights change
            }
            byte[] next = LotteryTicket.iterativeRound(w, mask, 0.8, 5, r);
            assertTrue(LotteryTicket.isSubset(next, mask));
            assertEquals(Masks.zerosFor(LotteryTicket.roundTargets(0.8, 5)[r - 1], 600), Masks.countZeros(next));
            mask = next;
        }
        assertEquals(480, Masks.countZeros(mask));
    }

    @Test
    void jaccardOverlap() {
        byte[] a = {1, 1, 0, 0, 1};
        byte[] b = {1, 0, 0, 1, 1};
        assertEquals(2.0 / 4.0, LotteryTicket.jaccard(a, b));
        assertEquals(1.0, LotteryTicket.jaccard(a, a));
        assertEquals(1.0, LotteryTicket.jaccard(new byte[3], new byte[3]));
    }
}
