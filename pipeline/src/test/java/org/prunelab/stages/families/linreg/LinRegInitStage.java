package org.prunelab.stages.families.linreg;

import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.MaskedGroup;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.prune.Masks;
import org.prunelab.stages.prune.PruningMethods;
import org.prunelab.stages.prune.PruningRequest;

/** init: w ~ N(0, 0.01), b = 0, then a random mask from the pruning registry (weights under it zeroed). */
final class LinRegInitStage implements Stage {
    private final String dataStep;

    LinRegInitStage(String dataStep) {
        this.dataStep = dataStep;
    }

    @Override
    public String kind() {
        return "linreg.init";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, LinRegKeys.SPARSITY);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        int d = LinRegData.read(context.inputDir(dataStep)).d();
        SplittableRandom rng = Seeds.stream(Seeds.derive(config.get(CommonKeys.SEED), kind()), 0);
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = 0.1 * StableMath.gaussian(rng);
        }
        MaskedGroup group = new MaskedGroup("w", d, 1, w, Masks.dense(d));
        byte[] mask = PruningMethods.get("random").prune(List.of(group),
                PruningRequest.toSparsity(config.get(LinRegKeys.SPARSITY), rng))[0];
        for (int i = 0; i < d; i++) {
            w[i] = mask[i] == 0 ? 0.0 : w[i];
        }
        LinRegModel.write(new LinRegModel(new MaskedGroup("w", d, 1, w, mask), new double[1]), context.workDir());
    }
}
