package org.prunelab.stages.families.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.MaskedGroup;
import org.prunelab.stages.prune.PruningMethod;
import org.prunelab.stages.prune.PruningMethods;
import org.prunelab.stages.prune.PruningRequest;
import org.prunelab.stages.recurrent.RecurrentClassifier;
import org.prunelab.stages.recurrent.RecurrentLayer;

/**
 * prune: one-shot pruning of the trained model (the authors' protocol): the input-to-hidden and/or
 * hidden-to-hidden matrices of ALL recurrent layers are pooled, and the registry's method (default
 * {@code class-blinded}: a numpy percentile of |w| at {@code prune.rate}) sets one threshold for all
 * of them. The embedding, the output layer and every bias are never pruned. Pruned weights are set to
 * exactly 0 and stay there through retraining.
 */
public final class RnnPruneStage implements Stage {
    private final String modelStep;

    public RnnPruneStage(String modelStep) {
        this.modelStep = modelStep;
    }

    @Override
    public String kind() {
        return "rnn.prune";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, RnnKeys.RATE, RnnKeys.SELECTION, RnnKeys.METHOD);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        RecurrentClassifier model = RnnModelFiles.read(context.inputDir(modelStep));
        PruningMethod method;
        try {
            method = PruningMethods.get(config.get(RnnKeys.METHOD));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("prune.method: " + e.getMessage());
        }
        String selection = config.get(RnnKeys.SELECTION);
        List<MaskedGroup> groups = new ArrayList<>();
        List<Boolean> included = new ArrayList<>();
        for (RecurrentLayer layer : model.layers()) {
            for (var p : List.of(layer.inputWeights(), layer.recurrentWeights())) {
                groups.add(p.group());
                boolean input = p == layer.inputWeights();
                included.add(selection.equals("i2h+h2h") || (input ? selection.equals("i2h") : selection.equals("h2h")));
            }
        }
        boolean[] flags = new boolean[included.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = included.get(i);
        }
        double rate = config.get(RnnKeys.RATE);
        byte[][] masks = method.prune(groups, new PruningRequest(new PruningRequest.Rate(rate), flags,
                Seeds.stream(Seeds.derive(config.get(CommonKeys.SEED), kind()))));
        long selected = 0, kept = 0;
        int g = 0;
        for (RecurrentLayer layer : model.layers()) {
            for (var p : List.of(layer.inputWeights(), layer.recurrentWeights())) {
                p.setMask(masks[g]);
                if (flags[g]) {
                    selected += p.size();
                    kept += p.kept();
                }
                g++;
            }
        }
        double achieved = selected == 0 ? 0.0 : 1.0 - (double) kept / selected;
        context.metrics().log("sparsity_achieved", achieved);
        context.metrics().log("kept_weights", kept);
        RnnModelFiles.write(model, context.workDir());
        context.progress().log(String.format(Locale.ROOT, "%s: %s at rate %.2f on %s: %d of %d selected weights kept"
                + " (sparsity %.4f)", context.stepName(), method.name(), rate, selection, kept, selected, achieved));
    }
}
