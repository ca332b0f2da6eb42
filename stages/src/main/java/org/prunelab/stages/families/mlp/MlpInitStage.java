package org.prunelab.stages.families.mlp;

import java.util.List;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.data.ImageDataset;

/**
 * Init: a dense MLP features → hidden… → 10 with PyTorch's default U(−1/√fan_in, 1/√fan_in) weights
 * and biases (mlp-pruning protocol §2.1). The initial weights are this step's output, so a
 * lottery-ticket style rewind can read them.
 */
public final class MlpInitStage implements Stage {
    public static final ConfigKey<String> HIDDEN_LAYERS = ConfigKey.string("model.hidden_layers", "100",
            "hidden layer sizes joined by '-': \"100\" gives 784-100-10 (protocol §2.1), \"300-100\" 784-300-100-10,"
                    + " \"none\" a linear softmax classifier");

    private final String dataStep;

    public MlpInitStage(String dataStep) {
        this.dataStep = dataStep;
    }

    @Override
    public String kind() {
        return "mlp.init";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, HIDDEN_LAYERS);
    }

    @Override
    public void run(StageContext context) throws Exception {
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        int[] sizes;
        try {
            sizes = Mlp.sizes(data.features(), context.config().get(HIDDEN_LAYERS), ImageDataset.CLASSES);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HIDDEN_LAYERS.name() + ": " + e.getMessage());
        }
        long seed = Seeds.derive(context.config().get(CommonKeys.SEED), kind());
        Mlp mlp = Mlp.initialise(sizes, Seeds.stream(seed, 0));
        MlpFiles.write(mlp, context.workDir());
        context.publishArtifact(MlpFiles.MODEL);
        context.metrics().log("model.layers", mlp.layers());
        context.metrics().log("model.prunable_weights", mlp.prunableWeights());
    }
}
