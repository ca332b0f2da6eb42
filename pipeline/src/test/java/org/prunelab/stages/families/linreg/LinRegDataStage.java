package org.prunelab.stages.families.linreg;

import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.core.StableMath;
import org.prunelab.stages.io.Npy;

/** load-data: y = x·w* + noise with x, w* ~ N(0, 1) and every third true weight zero. */
final class LinRegDataStage implements Stage {
    @Override
    public String kind() {
        return "linreg.data";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, LinRegKeys.SAMPLES, LinRegKeys.FEATURES, LinRegKeys.NOISE);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        int n = config.get(LinRegKeys.SAMPLES), d = config.get(LinRegKeys.FEATURES);
        SplittableRandom rng = Seeds.stream(Seeds.derive(config.get(CommonKeys.SEED), kind()), 0);
        double[] truth = new double[d];
        for (int i = 0; i < d; i++) {
            truth[i] = i % 3 == 2 ? 0.0 : StableMath.gaussian(rng);
        }
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            double sum = 0.0;
            for (int i = 0; i < d; i++) {
                x[r * d + i] = StableMath.gaussian(rng);
                sum += x[r * d + i] * truth[i];
            }
            y[r] = sum + config.get(LinRegKeys.NOISE) * StableMath.gaussian(rng);
        }
        Npy.writeDoubles(context.workDir().resolve(LinRegData.X), x, n, d);
        Npy.writeDoubles(context.workDir().resolve(LinRegData.Y), y, n);
        context.progress().log(n + " rows of " + d + " features");
    }
}
