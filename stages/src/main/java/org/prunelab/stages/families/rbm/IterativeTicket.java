package org.prunelab.stages.families.rbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.prunelab.stages.io.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.prune.LotteryTicket;
import org.prunelab.stages.prune.Masks;

/**
 * The {@code lth-iterative} arm (protocol §5 P1; Frankle &amp; Carbin, arXiv 1803.03635): n rounds, each
 * pruning the fraction q = 1 − (1 − s)^{1/n} of the survivors by |W| and rewinding to W₀ ⊙ M.
 *
 * <p>Round 1 prunes the upstream trained network (the train step already did round 1's training,
 * so it is not repeated here); every later round first trains the previous round's rewound network
 * with the {@code train} section's settings, from fresh chains. The output is the last round's
 * rewound network, which the retrain step then trains: n trainings in all, as in the spec.
 *
 * <p>Resume: the rewound network after each round is checkpointed at position r·(U + 1), and the
 * training inside round r checkpoints through {@link RbmTrainingLoop} at (r − 1)·(U + 1) + updates
 * (U = updates of one training), so positions increase across rounds and the latest checkpoint
 * says exactly where to continue. Round r trains with seed derive(seed, ".../round/r"): its streams
 * do not depend on whether earlier rounds ran in this process.
 */
final class IterativeTicket {
    static final String ROUNDS_FILE = "lth_rounds.json";

    private final String section;
    private final String kind;
    private final String dataStep;
    private final RbmTrainingKeys training;
    private final int rounds;
    private final double sparsity;
    private final boolean perUnit;

    IterativeTicket(String section, String kind, String dataStep, RbmTrainingKeys training, int rounds, double sparsity,
                    boolean perUnit) {
        this.section = section;
        this.kind = kind;
        this.dataStep = dataStep;
        this.training = training;
        this.rounds = rounds;
        this.sparsity = sparsity;
        this.perUnit = perUnit;
    }

    /** Runs (or resumes) the rounds; returns the last round's rewound network. */
    Rbm run(Rbm trainedUpstream, Rbm initial, StageContext context) throws Exception {
        StageConfig config = context.config();
        String chainInit = config.get(training.chainInit);
        if (chainInit.equals("keep")) {
            throw new ConfigException(section + ".method lth-iterative trains rewound networks, which start fresh chains;"
                    + " " + training.chainInit.name() + " 'keep' has no chains to keep (use data or noise)");
        }
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        int n = data.trainCount();
        TrainingSettings settings = training.settings(config);
        if (rounds > 1 && n < settings.batchSize()) {
            throw new ConfigException(training.batchSize.name() + ": " + settings.batchSize()
                    + " is larger than the " + n + " training images");
        }
        double[] train = rounds > 1 ? data.trainBinary() : null;
        double[] test = rounds > 1 ? data.testBinary() : null;
        int epochs = config.get(training.epochs);
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind + "/" + section + "/lth-iterative");
        long stride = (long) epochs * (n / settings.batchSize()) + 1;
        double[] targets = LotteryTicket.roundTargets(sparsity, rounds);

        Resume resume = resume(context, initial);
        int next = resume.next();
        Rbm rewound = resume.rewound();
        RbmTrainingLoop.Run resumed = resume.training();
        List<Map<String, Object>> log = resume.log();
        Rbm trained = trainedUpstream;
        for (int r = next; r <= rounds; r++) {
            if (r > 1) {
                Rbm model = resumed != null ? resumed.state.rbm : rewound;
                RbmTrainer trainer = new RbmTrainer(settings, training.kernel(config, model));
                RbmTrainingLoop loop = new RbmTrainingLoop(trainer, Seeds.derive(seed, "round/" + r), epochs,
                        training.monitoring(config), training.sampling(config));
                RbmTrainingLoop.Run run = resumed != null ? resumed
                        : RbmTrainingLoop.Run.start(loop.freshState(rewound, train, n, chainInit));
                resumed = null;
                Map<String, Object> extra = Map.of("phase", "training", "round", r, "rounds", List.copyOf(log));
                long done = run.updates;
                try (Progress.Task task = context.progress().start(context.stepName() + " round " + r, stride - 1, done)) {
                    run = loop.train(run, train, n, test, data.testCount(), context.checkpoints(), (r - 1) * stride,
                            extra, context.metrics(), "lth.round" + r + ".", task);
                }
                trained = run.state.rbm;
            }
            byte[] mask = RbmPruneStage.magnitudeMask(trained, trained.mask, targets[r - 1], perUnit);
            rewound = trained.rewoundTo(initial, mask);
            log.add(roundRow(r, trained.mask, mask));
            context.metrics().log("lth.round_sparsity", rewound.sparsity(), r);
            context.metrics().log("lth.round_removed_fraction", ((Number) log.get(log.size() - 1)
                    .get("removed_fraction")).doubleValue(), r);
            context.checkpoints().save(rewoundCheckpoint(rewound, r, r * stride, log));
        }
        writeReport(log, context);
        return rewound;
    }

    /** Where a run of rounds continues: the next round, and a rewound network or a training in progress. */
    private record Resume(int next, Rbm rewound, RbmTrainingLoop.Run training, List<Map<String, Object>> log) {
    }

    private Resume resume(StageContext context, Rbm initial) throws IOException {
        List<Map<String, Object>> log = new ArrayList<>();
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        if (checkpoint.isEmpty()) {
            return new Resume(1, null, null, log);
        }
        Checkpoint c = checkpoint.get();
        int round = ((Number) c.state().get("round")).intValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> saved = (List<Map<String, Object>>) c.state().get("rounds");
        log.addAll(saved);
        Resume resume = "rewound".equals(c.state().get("phase"))
                ? new Resume(round + 1, new Rbm(initial.nv, initial.nh, c.doubles("w"), c.doubles("a"), c.doubles("b"),
                        c.bytes("mask")), null, log)
                : new Resume(round, null, RbmTrainingLoop.Run.fromCheckpoint(c, initial.nv, initial.nh), log);
        context.progress().log(String.format(Locale.ROOT, "%s: lth-iterative resuming in round %d of %d",
                context.stepName(), resume.next(), rounds));
        return resume;
    }

    private void writeReport(List<Map<String, Object>> log, StageContext context) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("rounds", rounds);
        report.put("target_sparsity", sparsity);
        report.put("per_round_fraction", LotteryTicket.perRoundFraction(sparsity, rounds));
        report.put("scope", perUnit ? "per-unit" : "global");
        report.put("history", log);
        AtomicFiles.writeBytes(context.workDir().resolve(ROUNDS_FILE),
                CanonicalJson.PRETTY.writeValueAsBytes(report));
        context.publishArtifact(ROUNDS_FILE);
    }

    private static Map<String, Object> roundRow(int round, byte[] before, byte[] after) {
        int survivorsBefore = before.length - Masks.countZeros(before);
        int survivorsAfter = after.length - Masks.countZeros(after);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("round", round);
        row.put("survivors_before", survivorsBefore);
        row.put("survivors_after", survivorsAfter);
        row.put("removed_fraction", survivorsBefore == 0 ? 0.0
                : (double) (survivorsBefore - survivorsAfter) / survivorsBefore);
        row.put("sparsity", Masks.sparsity(after));
        return row;
    }

    private static Checkpoint rewoundCheckpoint(Rbm r, int round, long position, List<Map<String, Object>> log) {
        Map<String, Checkpoint.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Checkpoint.Tensor.of(r.w.clone(), r.nv, r.nh));
        tensors.put("a", Checkpoint.Tensor.of(r.a.clone(), r.nv));
        tensors.put("b", Checkpoint.Tensor.of(r.b.clone(), r.nh));
        tensors.put("mask", Checkpoint.Tensor.of(r.mask.clone(), r.nv, r.nh));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("phase", "rewound");
        state.put("round", round);
        state.put("rounds", new ArrayList<>(log));
        return new Checkpoint(position, tensors, state);
    }
}
