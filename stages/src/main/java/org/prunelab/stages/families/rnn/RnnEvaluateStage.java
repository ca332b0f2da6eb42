package org.prunelab.stages.families.rnn;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.reber.ReberSet;
import org.prunelab.stages.io.CanonicalJson;
import org.prunelab.stages.recurrent.Parameter;
import org.prunelab.stages.recurrent.RecurrentClassifier;

/** evaluate: test accuracy and loss of the final model, and how many recurrent weights it keeps. */
public final class RnnEvaluateStage implements Stage {
    private static final ConfigKey<Integer> BATCH = ConfigKey.integer("evaluate.batch_size", 32, 1, 1_000_000,
            "strings per forward pass (the padding of a batch matters with readout last-step)");
    private final String dataStep;
    private final String modelStep;

    public RnnEvaluateStage(String dataStep, String modelStep) {
        this.dataStep = dataStep;
        this.modelStep = modelStep;
    }

    @Override
    public String kind() {
        return "rnn.evaluate";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(BATCH);
    }

    @Override
    public void run(StageContext context) throws Exception {
        ReberSet test = ReberDataStage.read(context.inputDir(dataStep))[1];
        RecurrentClassifier model = RnnModelFiles.read(context.inputDir(modelStep));
        double[] score = RnnScores.score(model, test, context.config().get(BATCH));
        long prunable = 0, kept = 0;
        for (Parameter p : model.parameters()) {
            if (p.prunable()) {
                prunable += p.size();
                kept += p.kept();
            }
        }
        Map<String, Object> summary = new TreeMap<>();
        summary.put("test_accuracy", score[0]);
        summary.put("test_loss", score[1]);
        summary.put("recurrent_weights", prunable);
        summary.put("recurrent_weights_kept", kept);
        summary.put("recurrent_sparsity", 1.0 - (double) kept / prunable);
        summary.put("chance_accuracy", 1.0 - (double) test.validCount() / test.size());
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            context.metrics().log(e.getKey(), ((Number) e.getValue()).doubleValue());
        }
        Files.writeString(context.workDir().resolve("evaluation.json"), CanonicalJson.PRETTY.writeValueAsString(summary));
        context.publishArtifact("evaluation.json");
    }
}
