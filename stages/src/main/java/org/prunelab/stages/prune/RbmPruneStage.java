package org.prunelab.stages.prune;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.io.AtomicFiles;
import org.prunelab.stages.rbm.Rbm;
import org.prunelab.stages.rbm.RbmFiles;

/**
 * Prune: lowers an RBM's connectivity mask to a target sparsity, by random dilution or by removing
 * the smallest surviving |W| (rbm-dilution spec §5). Pruning only removes: a target below the
 * model's current sparsity is an error, never a silent no-op. Biases are never pruned. Persistent
 * chains of the upstream step are passed on for a retraining step that keeps them.
 */
public final class RbmPruneStage implements Stage {
    private final String section;
    private final String modelStep;
    private final ConfigKey<String> method;
    private final ConfigKey<Double> sparsity;

    /**
     * @param section   config section, e.g. {@code prune} or {@code reprune}
     * @param modelStep the upstream step whose model is pruned
     */
    public RbmPruneStage(String section, String modelStep) {
        this.section = section;
        this.modelStep = modelStep;
        this.method = ConfigKey.choice(section + ".method", "random", List.of("none", "random", "magnitude"),
                "how connections are chosen for removal");
        this.sparsity = ConfigKey.real(section + ".sparsity", 0.0, 0.0, 1.0,
                "target fraction of connections pruned (of all nv*nh)");
    }

    @Override
    public String kind() {
        return "rbm.prune";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, method, sparsity);
    }

    @Override
    public void run(StageContext context) throws Exception {
        Rbm rbm = RbmFiles.read(context.inputDir(modelStep));
        double target = context.config().get(sparsity);
        String how = context.config().get(method);
        double before = rbm.sparsity();
        if (!how.equals("none") && target < before - 1e-12) {
            throw new ConfigException(section + ".sparsity: target " + target + " is below the model's current sparsity "
                    + before + "; pruning only removes connections");
        }
        byte[] mask = switch (how) {
            case "none" -> rbm.mask.clone();
            case "random" -> Masks.randomFurther(rbm.mask, target,
                    Seeds.stream(Seeds.derive(context.config().get(CommonKeys.SEED), kind() + "/" + section), 0));
            case "magnitude" -> Masks.magnitude(rbm.w, rbm.mask, target);
            default -> throw new IllegalStateException(how);
        };
        Rbm pruned = rbm.withMask(mask);
        RbmFiles.write(pruned, context.workDir());
        double[] chains = RbmFiles.readChains(context.inputDir(modelStep));
        if (chains != null) {
            RbmFiles.writeChains(chains, rbm.nv, context.workDir());
        }
        MaskStats stats = MaskStats.of(mask, pruned.nv, pruned.nh);
        AtomicFiles.writeBytes(context.workDir().resolve("mask_stats.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(stats.asMetrics()));
        for (Map.Entry<String, Double> e : stats.asMetrics().entrySet()) {
            context.metrics().log(e.getKey(), e.getValue());
        }
        context.metrics().log("prune.sparsity_before", before);
        context.publishArtifact(RbmFiles.MASK);
        context.publishArtifact("mask_stats.json");
    }
}
