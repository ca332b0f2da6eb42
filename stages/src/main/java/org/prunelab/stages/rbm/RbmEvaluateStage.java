package org.prunelab.stages.rbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.image.ImageGrid;
import org.prunelab.stages.io.AtomicFiles;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.kernel.RbmKernel;
import org.prunelab.stages.kernel.RbmKernels;

/**
 * Evaluate: reconstruction error, pseudo-log-likelihood and free-energy gap on the test images,
 * exact log-likelihood when the smaller layer can be enumerated, and samples from independent Gibbs
 * chains started from noise (rbm-dilution spec §4, §7), saved as a grid PNG.
 */
public final class RbmEvaluateStage implements Stage {
    public static final ConfigKey<Integer> SAMPLES = ConfigKey.integer("evaluate.samples", 100, 1, 100_000,
            "independent Gibbs chains for generated samples");
    public static final ConfigKey<Integer> SWEEPS = ConfigKey.integer("evaluate.gibbs_sweeps", 1000, 1, 10_000_000,
            "alternating Gibbs sweeps per sample chain");
    public static final ConfigKey<Integer> PLL_SAMPLES = ConfigKey.integer("evaluate.pll_samples", 1000, 1, 1_000_000,
            "test images scored for PLL, reconstruction error and free energy");
    public static final ConfigKey<Integer> EXACT_MAX_UNITS = ConfigKey.integer("evaluate.exact_max_units", 20, 0, 24,
            "compute the exact log-likelihood when the smaller layer has at most this many units");
    public static final ConfigKey<String> KERNEL = ConfigKey.choice("evaluate.kernel", "auto",
            List.of("auto", "dense", "sparse"), "numeric kernel");

    private final String dataStep;
    private final String modelStep;

    public RbmEvaluateStage(String dataStep, String modelStep) {
        this.dataStep = dataStep;
        this.modelStep = modelStep;
    }

    @Override
    public String kind() {
        return "rbm.evaluate";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, SAMPLES, SWEEPS, PLL_SAMPLES, EXACT_MAX_UNITS, KERNEL);
    }

    @Override
    public void run(StageContext context) throws Exception {
        var config = context.config();
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        Rbm rbm = RbmFiles.read(context.inputDir(modelStep));
        RbmKernel kernel = RbmKernels.forModel(rbm, config.get(KERNEL));
        double[] test = data.testBinary();
        double[] train = data.trainBinary();
        int m = Math.min(config.get(PLL_SAMPLES), Math.min(data.testCount(), data.trainCount()));

        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("sparsity", rbm.sparsity());
        summary.put("connections", (double) rbm.connections());
        summary.put("test_recon_error", RbmMetrics.reconstructionError(rbm, kernel, test, m));
        summary.put("test_pll", RbmMetrics.pseudoLogLikelihood(rbm, test, m));
        summary.put("free_energy_gap", RbmMetrics.meanFreeEnergy(rbm, kernel, test, m)
                - RbmMetrics.meanFreeEnergy(rbm, kernel, train, m));
        if (RbmMetrics.exactFeasible(rbm, config.get(EXACT_MAX_UNITS))) {
            double logZ = RbmMetrics.logPartitionExact(rbm);
            summary.put("log_z", logZ);
            summary.put("test_exact_ll", -RbmMetrics.meanFreeEnergy(rbm, kernel, test, data.testCount()) - logZ);
            summary.put("train_exact_ll", -RbmMetrics.meanFreeEnergy(rbm, kernel, train, data.trainCount()) - logZ);
        }
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind());
        int count = config.get(SAMPLES);
        double[] samples = RbmSampler.sample(rbm, kernel, count, config.get(SWEEPS), Seeds.stream(seed, 0));
        double on = 0;
        for (double v : samples) {
            on += v;
        }
        summary.put("sample_mean_on_pixels", on / count);
        Npy.writeDoubles(context.workDir().resolve("samples.npy"), samples, count, rbm.nv);
        ImageGrid.writePng(samples, count, data.rows(), data.cols(), 10, 2, context.workDir().resolve("samples.png"));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("metrics", summary);
        report.put("model", Map.of("visible", rbm.nv, "hidden", rbm.nh));
        report.put("test_images", data.testCount());
        report.put("scored_images", m);
        report.put("sample", Map.of("chains", count, "gibbs_sweeps", config.get(SWEEPS), "kind", "binary",
                "start", "uniform noise"));
        AtomicFiles.writeBytes(context.workDir().resolve("evaluation.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        summary.forEach((k, v) -> context.metrics().log(k, v));
        context.publishArtifact("evaluation.json");
        context.publishArtifact("samples.png");
        context.publishArtifact("samples.npy");
    }
}
