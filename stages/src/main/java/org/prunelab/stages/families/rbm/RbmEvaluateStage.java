package org.prunelab.stages.families.rbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.prunelab.stages.io.CanonicalJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.eval.ClassifierFiles;
import org.prunelab.stages.eval.SampleQuality;
import org.prunelab.stages.image.ImageGrid;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Npy;
import org.prunelab.stages.kernel.MaskedDenseKernel;
import org.prunelab.stages.kernel.MaskedDenseKernels;
import org.prunelab.stages.prune.MaskGraph;
import org.prunelab.stages.prune.MaskStats;

/**
 * Evaluate (rbm-dilution protocol §4, §7, §8): reconstruction error, pseudo-log-likelihood and
 * free-energy gap on the test images, exact log-likelihood when the smaller layer can be enumerated,
 * samples from independent Gibbs chains started from noise (grid PNG), and the connectivity of the
 * evaluated mask (§5 statistics, graph components, per-pixel degree map for §8 "location").
 *
 * <p>The expensive metrics are each behind a switch, off by default so the quick evaluation stays
 * fast: {@code evaluate.ais} (§7.4), {@code evaluate.sample_scores} (§7.5; only when the pipeline
 * has a classifier step) and {@code evaluate.ising} (§7.6). Every random part draws from its own
 * stream of (seed, kind), so switching one metric on never changes another's value.
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
    public static final ConfigKey<String> SAMPLE_KIND = ConfigKey.choice("evaluate.sample_kind", "binary",
            List.of("binary", "mean-field"), "keep the final binary v of each chain, or p(v|h) of the last step (protocol §4)");
    public static final ConfigKey<Boolean> AIS = ConfigKey.bool("evaluate.ais", false,
            "estimate log Z and the test log-likelihood by annealed importance sampling (protocol §7.4)");
    public static final ConfigKey<Integer> AIS_RUNS = ConfigKey.integer("evaluate.ais_runs", 100, 1, 1_000_000,
            "AIS runs M");
    public static final ConfigKey<Integer> AIS_BETAS = ConfigKey.integer("evaluate.ais_betas", 15_000, 3, 100_000_000,
            "AIS intervals K: the Salakhutdinov-Murray schedule (1k/4k/10k on [0,.5]/[.5,.9]/[.9,1]) scaled by K/15000");
    public static final ConfigKey<Boolean> SAMPLE_SCORES = ConfigKey.bool("evaluate.sample_scores", false,
            "auxiliary-classifier scores of the samples with ceiling and floors, and pixel statistics (protocol §7.5)");
    public static final ConfigKey<Boolean> ISING = ConfigKey.bool("evaluate.ising", false,
            "generalized Ising model fields and couplings (protocol §7.6)");
    public static final ConfigKey<String> ISING_QUADRATURE = ConfigKey.choice("evaluate.ising_quadrature", "simpson",
            List.of("gauss-hermite", "simpson"),
            "E_X rule: 30-node Gauss-Hermite, or Simpson step 0.1 on [-15, 15] (accurate for large sd(X))");
    public static final ConfigKey<Double> ISING_THRESHOLD = ConfigKey.real("evaluate.ising_threshold", 0.01, 0.0, 1e6,
            "|J| above which a coupling counts as strong (protocol §7.6, §8)");

    /** Intervals of the unscaled Salakhutdinov–Murray schedule. */
    static final int AIS_REFERENCE_BETAS = 15_000;

    private final String dataStep;
    private final String modelStep;
    private final String classifierStep;

    public RbmEvaluateStage(String dataStep, String modelStep) {
        this(dataStep, modelStep, null);
    }

    /** @param classifierStep the classifier step for {@code evaluate.sample_scores}; null when the pipeline has none */
    public RbmEvaluateStage(String dataStep, String modelStep, String classifierStep) {
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        this.classifierStep = classifierStep;
    }

    @Override
    public String kind() {
        return "rbm.evaluate";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED, SAMPLES, SWEEPS, PLL_SAMPLES,
                EXACT_MAX_UNITS, KERNEL, SAMPLE_KIND, AIS, AIS_RUNS, AIS_BETAS, ISING, ISING_QUADRATURE,
                ISING_THRESHOLD));
        if (classifierStep != null) {
            // Only declared where it can work: in a pipeline without a classifier step the key is
            // unknown, so the mistake shows when the config is read, not after training.
            keys.add(SAMPLE_SCORES);
        }
        return List.copyOf(keys);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        Path dataDir = context.inputDir(dataStep);
        DatasetRef data = DatasetRef.read(dataDir);
        Rbm rbm = RbmFiles.read(context.inputDir(modelStep));
        MaskedDenseKernel kernel = MaskedDenseKernels.forLayer(rbm, config.get(KERNEL));
        double[] test = data.testBinary();
        int m = Math.min(config.get(PLL_SAMPLES), Math.min(data.testCount(), data.trainCount()));
        double[] floorBias = AnnealedImportanceSampling.baseBiases(Npy.readDoubles(dataDir.resolve("pixel_means.npy")));
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind());
        Map<String, Object> report = new LinkedHashMap<>();
        // Progress by phase (each takes from seconds to minutes): rate and time left on the terminal.
        boolean scores = classifierStep != null && config.get(SAMPLE_SCORES);
        Progress.Task task = context.progress().start(context.stepName() + " (rbm)",
                3 + (config.get(AIS) ? 1 : 0) + (scores ? 1 : 0) + (config.get(ISING) ? 1 : 0), 0);
        task.message("likelihoods");

        Map<String, Double> summary = modelMetrics(rbm, kernel, data, m, config.get(EXACT_MAX_UNITS), floorBias);
        task.step(1);
        if (config.get(AIS)) {
            task.message("AIS, " + config.get(AIS_RUNS) + " runs x " + config.get(AIS_BETAS) + " temperatures");
            summary.putAll(ais(rbm, kernel, floorBias, test, data.testCount(), config, seed, report));
            if (summary.containsKey("test_exact_ll")) {
                // AIS checked against the oracle wherever the oracle exists (protocol §7.4).
                summary.put("ais_error", summary.get("test_ais_ll") - summary.get("test_exact_ll"));
            }
            task.step(1);
        }

        task.message("sampling");
        int count = config.get(SAMPLES);
        boolean meanField = config.get(SAMPLE_KIND).equals("mean-field");
        double[] samples = RbmSampler.sample(rbm, kernel, count, config.get(SWEEPS), Seeds.stream(seed, 0), meanField);
        summary.put("sample_mean_on_pixels", writeSamples(samples, count, rbm.nv, data, context));
        task.step(1);
        if (scores) {
            task.message("sample scores");
            Path classifierDir = context.inputDir(classifierStep);
            Map<String, Object> info = ClassifierFiles.info(classifierDir);
            summary.put("classifier.test_accuracy", ((Number) info.get("test_accuracy")).doubleValue());
            // Ceiling, floors and samples are scored on the same number of images: a score such as the
            // class-coverage entropy or the inception-style score depends on the count, so a ceiling on
            // every test image would not be comparable with 100 samples (protocol §7.5).
            int references = Math.min(count, data.testCount());
            summary.putAll(SampleQuality.metrics(ClassifierFiles.read(classifierDir), samples, count, meanField, test,
                    references, floorBias, Seeds.stream(seed, 2)));
            for (String scored : List.of("score", "ceiling", "floor_noise", "floor_bias")) {
                summary.put(scored + ".images", (double) (scored.equals("ceiling") ? references : count));
            }
            report.put("classifier", info);
            report.put("references", new TreeMap<>(Map.of("ceiling", references + " binarised test images",
                    "floor_noise", count + " uniform-noise images in the sample format",
                    "floor_bias", count + " samples of the bias-only RBM with a = logit(training pixel means)")));
            task.step(1);
        }
        task.message("mask statistics");

        summary.putAll(maskStatistics(rbm, data, context));
        task.step(1);
        if (config.get(ISING)) {
            task.message("Ising mapping");
            summary.putAll(ising(rbm, config, context, report));
            task.step(1);
        }
        task.close();

        report.put("metrics", summary);
        // Sorted maps: Map.of iterates in a per-JVM random order, which made evaluation.json differ run to run.
        report.put("model", new TreeMap<>(Map.of("visible", rbm.nv, "hidden", rbm.nh)));
        report.put("test_images", data.testCount());
        report.put("scored_images", m);
        report.put("sample", new TreeMap<>(Map.of("chains", count, "gibbs_sweeps", config.get(SWEEPS), "kind",
                config.get(SAMPLE_KIND), "start", "uniform noise")));
        AtomicFiles.writeBytes(context.workDir().resolve("evaluation.json"),
                CanonicalJson.PRETTY.writeValueAsBytes(report));
        summary.forEach((k, v) -> context.metrics().log(k, v));
        context.publishArtifact("evaluation.json");
        context.publishArtifact("samples.png");
        context.publishArtifact("samples.npy");
        context.publishArtifact("degree_map.png");
        if (config.get(ISING)) {
            context.publishArtifact("couplings.png");
        }
    }

    /** Reconstruction, PLL and free-energy gap on m images; the exact log-likelihood where 2^N_h is small. */
    private static Map<String, Double> modelMetrics(Rbm rbm, MaskedDenseKernel kernel, DatasetRef data, int m,
                                                    int exactMaxUnits, double[] floorBias) throws IOException {
        double[] test = data.testBinary();
        double[] train = data.trainBinary();
        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("sparsity", rbm.sparsity());
        summary.put("connections", (double) rbm.connections());
        summary.put("test_recon_error", RbmMetrics.reconstructionError(rbm, kernel, test, m));
        summary.put("test_pll", RbmMetrics.pseudoLogLikelihood(rbm, test, m));
        // The no-information level: the PLL of the bias-only model (W = 0, a = logit of the training
        // pixel means). A claim about "quality" is read against the gap between this and the dense model.
        summary.put("floor_pll", RbmMetrics.pseudoLogLikelihood(biasOnly(rbm, floorBias), test, m));
        summary.put("free_energy_gap", RbmMetrics.meanFreeEnergy(rbm, kernel, test, m)
                - RbmMetrics.meanFreeEnergy(rbm, kernel, train, m));
        if (RbmMetrics.exactFeasible(rbm, exactMaxUnits)) {
            double logZ = RbmMetrics.logPartitionExact(rbm);
            summary.put("log_z", logZ);
            summary.put("test_exact_ll", -RbmMetrics.meanFreeEnergy(rbm, kernel, test, data.testCount()) - logZ);
            summary.put("train_exact_ll", -RbmMetrics.meanFreeEnergy(rbm, kernel, train, data.trainCount()) - logZ);
        }
        return summary;
    }

    /** W = 0 (mask empty), a = logit of the training pixel means, b = 0: the bias-only floor model. */
    static Rbm biasOnly(Rbm like, double[] visibleBias) {
        return new Rbm(like.nv, like.nh, new double[like.w.length], visibleBias.clone(), new double[like.nh],
                new byte[like.w.length]);
    }

    /** samples.npy and the samples.png grid; returns the mean of the sampled pixels. */
    private static double writeSamples(double[] samples, int count, int nv, DatasetRef data, StageContext context)
            throws IOException {
        double on = 0;
        for (double v : samples) {
            on += v;
        }
        Npy.writeDoubles(context.workDir().resolve("samples.npy"), samples, count, nv);
        ImageGrid.writePng(samples, count, data.rows(), data.cols(), 10, 2, context.workDir().resolve("samples.png"));
        return on / count;
    }

    /** Spec §7.4, base model = independent visibles at the training pixel means. */
    private static Map<String, Double> ais(Rbm rbm, MaskedDenseKernel kernel, double[] baseBias, double[] test, int nTest,
                                           StageConfig config, long seed, Map<String, Object> report) {
        AnnealedImportanceSampling.Schedule schedule = AnnealedImportanceSampling.Schedule
                .scaledSalakhutdinovMurray((double) config.get(AIS_BETAS) / AIS_REFERENCE_BETAS);
        AnnealedImportanceSampling.Result r = AnnealedImportanceSampling.estimate(rbm, kernel, baseBias,
                config.get(AIS_RUNS), schedule, Seeds.stream(seed, 1));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("log_z_ais", r.logZ());
        m.put("log_z_ais_lower", r.logZLower());
        m.put("log_z_ais_upper", r.logZUpper());
        m.put("ais_ess", r.ess());
        m.put("ais_log_w_variance", r.logWeightVariance());
        m.put("test_ais_ll", r.logLikelihood(rbm, kernel, test, nTest));
        report.put("ais", new TreeMap<>(Map.of("runs", r.runs(), "intervals", r.intervals(), "log_z_base", r.logZBase(),
                "base_model", "independent visibles, a = logit(training pixel means)")));
        return m;
    }

    /** Spec §5 connectivity statistics and §8 location: MaskStats, graph components, degree map PNG. */
    private static Map<String, Double> maskStatistics(Rbm rbm, DatasetRef data, StageContext context) throws Exception {
        Map<String, Double> m = new LinkedHashMap<>(MaskStats.of(rbm.mask, rbm.nv, rbm.nh).asMetrics());
        m.putAll(MaskGraph.components(rbm.mask, rbm.nv, rbm.nh).asMetrics());
        MaskGraph.writeDegreeMapPng(MaskGraph.pixelDegrees(rbm.mask, rbm.nv, rbm.nh), data.rows(), data.cols(),
                rbm.nh, 8, context.workDir().resolve("degree_map.png"));
        return m;
    }

    /** Spec §7.6 summary, fields and couplings (.npy) and the J image. */
    private static Map<String, Double> ising(Rbm rbm, StageConfig config, StageContext context,
                                             Map<String, Object> report) throws Exception {
        String rule = config.get(ISING_QUADRATURE);
        IsingMapping.Quadrature quadrature = rule.equals("simpson") ? IsingMapping.Quadrature.simpson(15.0, 300)
                : IsingMapping.Quadrature.gaussHermite(IsingMapping.DEFAULT_NODES);
        // Thread count does not change the result (fixed summation order per J_ij, see IsingMapping).
        IsingMapping.Result r = IsingMapping.compute(rbm, quadrature, Runtime.getRuntime().availableProcessors());
        Npy.writeDoubles(context.workDir().resolve("ising_fields.npy"), r.fields(), r.nv());
        Npy.writeDoubles(context.workDir().resolve("ising_couplings.npy"), r.couplings(), r.nv(), r.nv());
        IsingMapping.writeCouplingPng(r, 1, context.workDir().resolve("couplings.png"));
        report.put("ising", new TreeMap<>(Map.of("quadrature", rule.equals("simpson") ? "simpson, step 0.1 on [-15, 15]"
                : "gauss-hermite, " + IsingMapping.DEFAULT_NODES + " nodes")));
        return r.summary(config.get(ISING_THRESHOLD));
    }
}
