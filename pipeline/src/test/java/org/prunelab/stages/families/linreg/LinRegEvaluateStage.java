package org.prunelab.stages.families.linreg;

import java.util.List;
import java.util.Locale;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.io.AtomicFiles;

/** evaluate: test-set MSE of the trained model, as a metric and in evaluation.json. */
final class LinRegEvaluateStage implements Stage {
    private final String dataStep, modelStep;

    LinRegEvaluateStage(String dataStep, String modelStep) {
        this.dataStep = dataStep;
        this.modelStep = modelStep;
    }

    @Override
    public String kind() {
        return "linreg.evaluate";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of();
    }

    @Override
    public void run(StageContext context) throws Exception {
        LinRegData data = LinRegData.read(context.inputDir(dataStep));
        LinRegModel model = LinRegModel.read(context.inputDir(modelStep));
        double mse = model.mse(data, data.trainCount(), data.n());
        context.metrics().log("test_mse", mse);
        AtomicFiles.writeString(context.workDir().resolve("evaluation.json"),
                String.format(Locale.ROOT, "{\"test_mse\": %.17g}%n", mse));
        context.publishArtifact("evaluation.json");
    }
}
