package org.prunelab.stages.families.mlp;

import org.prunelab.stages.io.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.io.AtomicFiles;

/**
 * Evaluate: test accuracy and mean cross-entropy of the final MLP on the (normalised) test images,
 * its compression (protocol §1: 1 − remaining/total prunable weights) and per-layer density, written to
 * {@code evaluation.json}. Deterministic; no randomness.
 */
public final class MlpEvaluateStage implements Stage {
    public static final ConfigKey<Integer> BATCH = ConfigKey.integer("evaluate.batch_size", 100, 1, 1_000_000,
            "test images per forward pass (protocol: 100)");
    public static final ConfigKey<String> KERNEL = ConfigKey.choice("evaluate.kernel", "auto",
            List.of("auto", "dense", "sparse"), "numeric kernel per layer");

    private final String dataStep;
    private final String modelStep;

    public MlpEvaluateStage(String dataStep, String modelStep) {
        this.dataStep = dataStep;
        this.modelStep = modelStep;
    }

    @Override
    public String kind() {
        return "mlp.evaluate";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(BATCH, KERNEL);
    }

    @Override
    public void run(StageContext context) throws Exception {
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        Mlp mlp = MlpFiles.read(context.inputDir(modelStep));
        MlpFiles.checkInputs(mlp, data.features());
        var test = data.load("test");
        int n = data.testCount();
        double[] x = MlpData.normalised(test, n);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = test.label(i);
        }
        MlpPass.Score score = MlpPass.of(mlp, context.config().get(KERNEL)).score(x, y, n, context.config().get(BATCH));

        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("test_accuracy", score.accuracy());
        summary.put("test_loss", score.loss());
        summary.put("compression", mlp.compression());
        summary.put("weights_remaining", (double) mlp.remainingWeights());
        summary.put("prunable_weights", (double) mlp.prunableWeights());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int l = 0; l < mlp.layers(); l++) {
            summary.put("layer" + l + "_density", mlp.density(l));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", l);
            layer.put("in", mlp.in(l));
            layer.put("out", mlp.out(l));
            layer.put("kept", mlp.remaining(l));
            layer.put("total", mlp.weights(l));
            layer.put("density", mlp.density(l));
            layers.add(layer);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("metrics", summary);
        report.put("model", new TreeMap<>(Map.of("sizes", mlp.sizes, "shape", mlp.shape())));
        report.put("layers", layers);
        report.put("test_images", n);
        AtomicFiles.writeBytes(context.workDir().resolve("evaluation.json"),
                CanonicalJson.PRETTY.writeValueAsBytes(report));
        summary.forEach((k, v) -> context.metrics().log(k, v));
        context.publishArtifact("evaluation.json");
    }
}
