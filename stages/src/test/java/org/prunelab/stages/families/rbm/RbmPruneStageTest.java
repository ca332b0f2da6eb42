package org.prunelab.stages.families.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.StageFixtures;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;
import org.prunelab.stages.io.DirectoryCheckpointStore;
import org.prunelab.stages.prune.LotteryTicket;
import org.prunelab.stages.prune.Masks;

/** The prune arms of spec §5 through the stage: lth, P2 magnitude with and without rewind, lth-iterative and its resume. */
class RbmPruneStageTest {
    private static final int HIDDEN = 5;

    @TempDir
    static Path shared;
    static Path data;
    static Path init;
    static Path trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainDense() throws Exception {
        data = StageFixtures.loadData(shared, 200, 40);
        init = TestRbms.initStep(shared, data, HIDDEN, 7);
        RbmTrainStage train = new RbmTrainStage("train", "load-data", "prune-1");
        trained = new TestStageContext(train, "train", trainConfig(), shared.resolve("train"))
                .input("load-data", data).input("prune-1", init).run(train);
    }

    private static Map<String, Object> trainConfig() {
        return TrainStageRuns.config(Map.of());
    }

    private static RbmPruneStage prune2() {
        return new RbmPruneStage("reprune", "train", "init", "load-data", RbmTrainingKeys.of("train"));
    }

    private Path runPrune2(Map<String, Object> reprune, Path out, CheckpointStore store) throws Exception {
        Map<String, Object> c = trainConfig();
        c.putAll(reprune);
        RbmPruneStage stage = prune2();
        TestStageContext ctx = new TestStageContext(stage, "prune-2", c, out)
                .input("train", trained).input("init", init).input("load-data", data);
        if (store != null) {
            ctx.checkpointStore(store);
        }
        return ctx.run(stage);
    }

    @Test
    void lthKeepsTheLargestTrainedWeightsAndRewindsSurvivorsToW0() throws Exception {
        Path out = runPrune2(Map.of("reprune.method", "lth", "reprune.sparsity", 0.6), dir.resolve("p2"), null);
        Rbm w0 = RbmFiles.read(init);
        Rbm t = RbmFiles.read(trained);
        Rbm p = RbmFiles.read(out);
        assertEquals(Math.round(0.6 * p.mask.length), Masks.countZeros(p.mask));
        double minKept = Double.POSITIVE_INFINITY, maxPruned = 0;
        for (int j = 0; j < p.mask.length; j++) {
            if (p.mask[j] != 0) {
                assertEquals(Double.doubleToRawLongBits(w0.w[j]), Double.doubleToRawLongBits(p.w[j]), "survivor " + j);
                minKept = Math.min(minKept, Math.abs(t.w[j]));
            } else {
                assertEquals(0L, Double.doubleToRawLongBits(p.w[j]), "pruned " + j + " must be +0.0");
                maxPruned = Math.max(maxPruned, Math.abs(t.w[j]));
            }
        }
        assertTrue(minKept >= maxPruned, "kept |W| " + minKept + " must be >= pruned |W| " + maxPruned);
        assertArrayEquals(w0.a, p.a);
        assertArrayEquals(w0.b, p.b);
        assertFalse(Files.exists(out.resolve(RbmFiles.CHAINS)), "a rewound network must not inherit chains");
        assertTrue(Files.exists(trained.resolve(RbmFiles.CHAINS)), "the trained PCD model has chains to drop");
    }

    @Test
    void perUnitScopeKeepsTheSameNumberInEveryHiddenUnit() throws Exception {
        Path out = runPrune2(Map.of("reprune.method", "lth", "reprune.sparsity", 0.5, "reprune.scope", "per-unit"),
                dir.resolve("p2"), null);
        Rbm p = RbmFiles.read(out);
        Rbm t = RbmFiles.read(trained);
        int keep = LotteryTicket.keptPerUnit(p.nv, 0.5);
        for (int c : LotteryTicket.keptPerHiddenUnit(p.mask, p.nv, p.nh)) {
            assertEquals(keep, c);
        }
        for (int mu = 0; mu < p.nh; mu++) {
            double minKept = Double.POSITIVE_INFINITY, maxPruned = 0;
            for (int i = 0; i < p.nv; i++) {
                int j = i * p.nh + mu;
                if (p.mask[j] != 0) {
                    minKept = Math.min(minKept, Math.abs(t.w[j]));
                } else {
                    maxPruned = Math.max(maxPruned, Math.abs(t.w[j]));
                }
            }
            assertTrue(minKept >= maxPruned, "unit " + mu);
        }
    }

    @Test
    void p2RetrainsFromLearnedWeightsUnlessRewound() throws Exception {
        Rbm w0 = RbmFiles.read(init);
        Rbm t = RbmFiles.read(trained);

        Path kept = runPrune2(Map.of("reprune.method", "magnitude", "reprune.sparsity", 0.5), dir.resolve("keep"), null);
        Rbm p = RbmFiles.read(kept);
        int differ = 0;
        for (int j = 0; j < p.mask.length; j++) {
            if (p.mask[j] != 0) {
                assertEquals(Double.doubleToRawLongBits(t.w[j]), Double.doubleToRawLongBits(p.w[j]));
                differ += p.w[j] != w0.w[j] ? 1 : 0;
            } else {
                assertEquals(0.0, p.w[j]);
            }
        }
        assertEquals(p.connections(), differ, "every learned survivor differs from its initial value");
        assertArrayEquals(t.a, p.a);
        assertArrayEquals(t.b, p.b);
        assertArrayEquals(Files.readAllBytes(trained.resolve(RbmFiles.CHAINS)),
                Files.readAllBytes(kept.resolve(RbmFiles.CHAINS)), "P2 keeps the chains for chain_init: keep");

        Path scratch = runPrune2(Map.of("reprune.method", "magnitude", "reprune.sparsity", 0.5, "reprune.rewind", true),
                dir.resolve("scratch"), null);
        Rbm s = RbmFiles.read(scratch);
        assertArrayEquals(p.mask, s.mask, "same mask, from scratch");
        for (int j = 0; j < s.mask.length; j++) {
            assertEquals(Double.doubleToRawLongBits(s.mask[j] != 0 ? w0.w[j] : 0.0), Double.doubleToRawLongBits(s.w[j]));
        }
        assertArrayEquals(w0.a, s.a);
        assertArrayEquals(w0.b, s.b);
        assertFalse(Files.exists(scratch.resolve(RbmFiles.CHAINS)));
    }

    @Test
    void prune1DoesNotOfferTheRewindingArms() {
        RbmPruneStage p1 = new RbmPruneStage("prune", "init");
        assertThrows(RuntimeException.class, () -> StageConfig.resolve(p1.configKeys(),
                Map.of("prune.method", "lth"), "test"));
        assertFalse(p1.configKeys().stream().anyMatch(k -> k.name().startsWith("train.")));
    }

    @Test
    void lthIterativeReachesTheTargetRemovingQOfSurvivorsEachRound() throws Exception {
        int rounds = 3;
        double s = 0.7;
        Path out = runPrune2(Map.of("reprune.method", "lth-iterative", "reprune.sparsity", s, "reprune.rounds", rounds),
                dir.resolve("it"), null);
        Rbm p = RbmFiles.read(out);
        Rbm w0 = RbmFiles.read(init);
        assertEquals(Math.round(s * p.mask.length), Masks.countZeros(p.mask));
        double q = LotteryTicket.perRoundFraction(s, rounds);
        Map<?, ?> report = new ObjectMapper().readValue(out.resolve(IterativeTicket.ROUNDS_FILE).toFile(), Map.class);
        List<?> history = (List<?>) report.get("history");
        assertEquals(rounds, history.size());
        int previous = p.mask.length;
        for (Object o : history) {
            Map<?, ?> row = (Map<?, ?>) o;
            int before = ((Number) row.get("survivors_before")).intValue();
            int after = ((Number) row.get("survivors_after")).intValue();
            assertEquals(previous, before, "each round starts from the previous round's survivors");
            assertTrue(Math.abs((before - after) - q * before) <= 1.0,
                    "round " + row.get("round") + " removed " + (before - after) + " of " + before + ", q*before = " + q * before);
            previous = after;
        }
        for (int j = 0; j < p.mask.length; j++) {
            assertEquals(Double.doubleToRawLongBits(p.mask[j] != 0 ? w0.w[j] : 0.0), Double.doubleToRawLongBits(p.w[j]));
        }
        assertArrayEquals(w0.a, p.a);
        assertFalse(Files.exists(out.resolve(RbmFiles.CHAINS)));
    }

    @Test
    void lthIterativeResumesExactlyAfterInterruptions() throws Exception {
        Map<String, Object> cfg = Map.of("reprune.method", "lth-iterative", "reprune.sparsity", 0.8,
                "reprune.rounds", 3);
        Path reference = runPrune2(cfg, dir.resolve("ref"), null);

        Path out = dir.resolve("interrupted");
        Path ckpt = dir.resolve("interrupted-store");
        // Killed right after round 2's rewound network was checkpointed (between rounds) ...
        assertThrows(Interrupted.class, () -> runPrune2(cfg, out, crashingStore(ckpt,
                c -> "rewound".equals(c.state().get("phase")) && ((Number) c.state().get("round")).intValue() == 2)));
        // ... then in the middle of round 3's training (a within-epoch checkpoint) ...
        assertThrows(Interrupted.class, () -> runPrune2(cfg, out, crashingStore(ckpt,
                c -> "training".equals(c.state().get("phase")) && ((Number) c.state().get("batch")).intValue() == 3)));
        Checkpoint last = store(ckpt).latest().orElseThrow();
        assertEquals(3, ((Number) last.state().get("round")).intValue());
        // ... and finally run to the end.
        runPrune2(cfg, out, store(ckpt));
        for (String f : List.of(RbmFiles.WEIGHTS, RbmFiles.MASK, RbmFiles.VISIBLE_BIAS, RbmFiles.HIDDEN_BIAS,
                IterativeTicket.ROUNDS_FILE)) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }

    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("simulated kill");
        }
    }

    private static DirectoryCheckpointStore store(Path root) {
        return new DirectoryCheckpointStore(root, 3, 1, 0, Clock.systemUTC(), w -> { });
    }

    /** Checkpoints every update; the first checkpoint matching {@code crashAfter} is saved, then the "process dies". */
    private static CheckpointStore crashingStore(Path root, Predicate<Checkpoint> crashAfter) {
        DirectoryCheckpointStore inner = store(root);
        return new CheckpointStore() {
            @Override
            public Optional<Checkpoint> latest() throws IOException {
                return inner.latest();
            }

            @Override
            public void save(Checkpoint checkpoint) throws IOException {
                inner.save(checkpoint);
                if (crashAfter.test(checkpoint)) {
                    throw new Interrupted();
                }
            }

            @Override
            public boolean due(long position) {
                return inner.due(position);
            }
        };
    }
}
