package org.prunelab.stages.families.rbm;

import org.prunelab.stages.io.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.prune.MaskStats;
import org.prunelab.stages.prune.PruningMethods;
import org.prunelab.stages.prune.PruningRequest;

/**
 * Prune: lowers an RBM's connectivity mask to a target sparsity (rbm-dilution protocol §5). Pruning
 * only removes: a target below the model's current sparsity is an error, never a silent no-op.
 * Biases are never pruned.
 *
 * <p>Methods: {@code none}; {@code random} (dilution); {@code magnitude} (smallest surviving |W|
 * first, P2 default); {@code magnitude-largest} (largest first: the minimal-core test, §8); and, when the stage knows the init step, the lottery-ticket arms of P1:
 * {@code lth} (magnitude mask from the trained weights, survivors rewound to W₀ and biases to a₀, b₀)
 * and {@code lth-iterative} (n rounds of train → prune q of the survivors → rewind, see
 * {@link IterativeTicket}). {@code scope} chooses a global or per-hidden-unit ranking for the
 * magnitude-based methods. {@code rewind} applies the rewind to {@code none}/{@code random}/
 * {@code magnitude}: the P2 control "same mask, from scratch".
 *
 * <p>Persistent chains of the upstream step are passed on for a retraining step that keeps them,
 * unless the weights were rewound: chains equilibrated for the trained weights mean nothing for W₀,
 * so a rewound network starts fresh chains (protocol §5 P1 "start fresh persistent chains").
 */
public final class RbmPruneStage implements Stage {
    static final List<String> BASIC_METHODS = List.of("none", "random", "magnitude");
    static final List<String> ALL_METHODS = List.of("none", "random", "magnitude", "magnitude-largest", "lth",
            "lth-iterative");

    private final String section;
    private final String modelStep;
    private final String initStep;
    private final String dataStep;
    private final RbmTrainingKeys training;
    private final ConfigKey<String> method;
    private final ConfigKey<Double> sparsity;
    private final ConfigKey<String> scope;
    private final ConfigKey<Boolean> rewind;
    private final ConfigKey<Integer> rounds;

    /**
     * A prune step without the rewinding arms (e.g. prune-1, whose upstream already is W₀).
     *
     * @param section   config section, e.g. {@code prune}
     * @param modelStep the upstream step whose model is pruned
     */
    public RbmPruneStage(String section, String modelStep) {
        this(section, modelStep, null, null, null);
    }

    /**
     * A prune step with every arm (e.g. prune-2).
     *
     * @param initStep the init step holding W₀, a₀, b₀ (rewinding)
     * @param dataStep the load-data step ({@code lth-iterative} trains)
     * @param training the keys of the section whose settings {@code lth-iterative} trains with
     *                 ({@code train}); declared here, so they enter this step's identity
     */
    public RbmPruneStage(String section, String modelStep, String initStep, String dataStep,
                         RbmTrainingKeys training) {
        if ((initStep == null) != (dataStep == null) || (initStep == null) != (training == null)) {
            throw new IllegalArgumentException("initStep, dataStep and training are given together or not at all");
        }
        this.section = section;
        this.modelStep = modelStep;
        this.initStep = initStep;
        this.dataStep = dataStep;
        this.training = training;
        boolean full = initStep != null;
        this.method = ConfigKey.choice(section + ".method", "random", full ? ALL_METHODS : BASIC_METHODS,
                "how connections are chosen for removal");
        this.sparsity = ConfigKey.real(section + ".sparsity", 0.0, 0.0, 1.0,
                "target fraction of connections pruned (of all nv*nh)");
        this.scope = ConfigKey.choice(section + ".scope", "global", List.of("global", "per-unit"),
                "magnitude ranking over all weights, or within each hidden unit (magnitude, lth, lth-iterative)");
        this.rewind = full ? ConfigKey.bool(section + ".rewind", false,
                "none/random/magnitude: reset the surviving weights to W0 and biases to a0, b0 (P2 'same mask, from scratch')")
                : null;
        this.rounds = full ? ConfigKey.integer(section + ".rounds", 5, 1, 1000,
                "lth-iterative: prune-train-rewind rounds") : null;
    }

    @Override
    public String kind() {
        return "rbm.prune";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED, method, sparsity, scope));
        if (initStep != null) {
            keys.add(rewind);
            keys.add(rounds);
            keys.addAll(training.keys());
        }
        return List.copyOf(keys);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        Rbm rbm = RbmFiles.read(context.inputDir(modelStep));
        double target = config.get(sparsity);
        String how = config.get(method);
        boolean perUnit = config.get(scope).equals("per-unit");
        double before = rbm.sparsity();
        if (!how.equals("none") && target < before - 1e-12) {
            throw new ConfigException(section + ".sparsity: target " + target + " is below the model's current sparsity "
                    + before + "; pruning only removes connections");
        }
        boolean rewinds = how.startsWith("lth") || (initStep != null && config.get(rewind));
        Rbm initial = rewinds ? RbmFiles.read(context.inputDir(initStep)) : null;
        Rbm pruned = switch (how) {
            case "none" -> rbm.withMask(rbm.mask);
            case "random" -> rbm.withMask(prune("random", rbm, PruningRequest.toSparsity(target,
                    Seeds.stream(Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section), 0))));
            case "magnitude", "lth" -> rbm.withMask(magnitudeMask(rbm, rbm.mask, target, perUnit));
            case "magnitude-largest" -> {
                if (perUnit) {
                    throw new ConfigException(section + ".scope: magnitude-largest ranks globally only, got per-unit");
                }
                yield rbm.withMask(LargestFirstMask.of(rbm.w, rbm.mask, target));
            }
            case "lth-iterative" -> new IterativeTicket(section, kind(), dataStep, training, config.get(rounds), target,
                    perUnit).run(rbm, initial, context);
            default -> throw new IllegalStateException(how);
        };
        Rbm out = rewinds ? rbm.rewoundTo(initial, pruned.mask) : pruned;
        RbmFiles.write(out, context.workDir());
        double[] chains = RbmFiles.readChains(context.inputDir(modelStep));
        if (chains != null && !rewinds) {
            RbmFiles.writeChains(chains, rbm.nv, context.workDir());
        }
        MaskStats stats = MaskStats.of(out.mask, out.nv, out.nh);
        AtomicFiles.writeBytes(context.workDir().resolve("mask_stats.json"),
                CanonicalJson.PRETTY.writeValueAsBytes(stats.asMetrics()));
        for (Map.Entry<String, Double> e : stats.asMetrics().entrySet()) {
            context.metrics().log(e.getKey(), e.getValue());
        }
        context.metrics().log("prune.sparsity_before", before);
        context.metrics().log("prune.rewound", rewinds ? 1.0 : 0.0);
        context.publishArtifact(RbmFiles.MASK);
        context.publishArtifact("mask_stats.json");
    }

    /** Keep the largest |W| among the survivors of {@code current}: globally, or per hidden unit (protocol §5 P1 lth). */
    static byte[] magnitudeMask(Rbm trained, byte[] current, double target, boolean perUnit) {
        Rbm withCurrent = new Rbm(trained.nv, trained.nh, trained.w, trained.a, trained.b, current);
        return prune(perUnit ? "magnitude-per-unit" : "magnitude", withCurrent, PruningRequest.toSparsity(target, null));
    }

    /** The mask a registered pruning method gives the RBM's one weight group. */
    private static byte[] prune(String method, Rbm rbm, PruningRequest request) {
        return PruningMethods.get(method).prune(List.of(rbm.group()), request)[0];
    }
}
