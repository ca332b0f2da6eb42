package org.prunelab.stages.families.rbm;

import java.util.List;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.io.Npy;

/**
 * Init: a dense RBM with W ~ N(0, std²), visible biases logit(training pixel means), hidden biases 0
 * (Hinton's practical guide; rbm-dilution protocol §3). These initial weights are kept as this step's
 * output: lottery-ticket rewinding needs exactly W₀.
 */
public final class RbmInitStage implements Stage {
    public static final ConfigKey<Integer> HIDDEN = ConfigKey.integer("model.hidden", 200, 1, 100_000,
            "number of hidden units");
    public static final ConfigKey<Double> WEIGHT_STD = ConfigKey.real("init.weight_std", 0.01, 0.0, 10.0,
            "standard deviation of the initial weights");

    private final String dataStep;

    public RbmInitStage(String dataStep) {
        this.dataStep = dataStep;
    }

    @Override
    public String kind() {
        return "rbm.init";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, HIDDEN, WEIGHT_STD);
    }

    @Override
    public void run(StageContext context) throws Exception {
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        double[] means = Npy.readDoubles(context.inputDir(dataStep).resolve("pixel_means.npy"));
        long seed = Seeds.derive(context.config().get(CommonKeys.SEED), kind());
        Rbm rbm = Rbm.initialise(data.features(), context.config().get(HIDDEN), means,
                context.config().get(WEIGHT_STD), Seeds.stream(seed, 0));
        RbmFiles.write(rbm, context.workDir());
        context.publishArtifact(RbmFiles.WEIGHTS);
        context.publishArtifact(RbmFiles.VISIBLE_BIAS);
        context.publishArtifact(RbmFiles.HIDDEN_BIAS);
        context.metrics().log("model.visible", rbm.nv);
        context.metrics().log("model.hidden", rbm.nh);
    }
}
