package org.prunelab.stages.families.rbm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.io.CsvTable;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.kernel.MaskedDenseKernel;

/**
 * Train (and retrain): CD-k or PCD-k on the binarised training images, with the connectivity mask
 * applied to gradients, momentum and weights so pruned weights stay exactly zero. The epoch loop,
 * its checkpoints and exact resume live in {@link RbmTrainingLoop}; this stage wires the upstream
 * model, data and chain policy to it and writes the outputs.
 */
public final class RbmTrainStage implements Stage {
    private final String section;
    private final String dataStep;
    private final String modelStep;
    private final RbmTrainingKeys keys;

    /**
     * @param section   config section ({@code train} or {@code retrain})
     * @param dataStep  the load-data step
     * @param modelStep the step whose model (and mask) is trained
     */
    public RbmTrainStage(String section, String dataStep, String modelStep) {
        this.section = section;
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        this.keys = RbmTrainingKeys.of(section);
    }

    @Override
    public String kind() {
        return "rbm.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> all = new ArrayList<>();
        all.add(CommonKeys.SEED);
        all.addAll(keys.keys());
        return List.copyOf(all);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        double[] train = data.trainBinary();
        double[] test = data.testBinary();
        int n = data.trainCount();
        int nv = data.features();
        int bs = config.get(keys.batchSize);
        if (n < bs) {
            throw new ConfigException(section + ".batch_size: " + bs + " is larger than the " + n
                    + " training images");
        }
        Rbm start = RbmFiles.read(context.inputDir(modelStep));
        if (start.nv != nv) {
            throw new IllegalStateException("model has " + start.nv + " visible units, data has " + nv + " pixels");
        }
        TrainingSettings settings = keys.settings(config);
        MaskedDenseKernel rbmKernel = keys.kernel(config, start);
        RbmTrainer trainer = new RbmTrainer(settings, rbmKernel);
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section);
        int totalEpochs = config.get(keys.epochs);
        RbmTrainingLoop loop = new RbmTrainingLoop(trainer, seed, totalEpochs, keys.monitoring(config),
                keys.sampling(config));

        RbmTrainingLoop.Run run;
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        if (checkpoint.isPresent()) {
            run = RbmTrainingLoop.Run.fromCheckpoint(checkpoint.get(), start.nv, start.nh);
            context.progress().log(String.format(Locale.ROOT, "%s: resuming at epoch %d, batch %d (%d updates done)",
                    context.stepName(), run.epoch, run.batch, run.updates));
        } else {
            String chainInit = config.get(keys.chainInit);
            RbmTrainer.State state = loop.freshState(start, train, n, chainInit);
            if (state.chains.length > 0 && chainInit.equals("keep")) {
                keepUpstreamChains(state, context, nv);
            }
            run = RbmTrainingLoop.Run.start(state);
        }

        int batches = n / bs;
        try (Progress.Task task = context.progress().start(context.stepName(), (long) totalEpochs * batches,
                (long) run.epoch * batches + run.batch)) {
            run = loop.train(run, train, n, test, data.testCount(), context.checkpoints(), 0, Map.of(),
                    context.metrics(), "", task);
        }
        RbmTrainer.State state = run.state;
        RbmFiles.write(state.rbm, context.workDir());
        if (state.chains.length > 0) {
            RbmFiles.writeChains(state.chains, nv, context.workDir());
        }
        writeHistory(run.history, context);
        if (totalEpochs > 0) {
            recordConvergence(keys.convergence(config).assess(ConvergenceCriterion.column(run.history, "pll")),
                    context);
        }
        context.publishArtifact(RbmFiles.WEIGHTS);
        context.publishArtifact(RbmFiles.MASK);
        context.publishArtifact("history.csv");
    }

    private void keepUpstreamChains(RbmTrainer.State state, StageContext context, int nv) throws IOException {
        double[] kept = RbmFiles.readChains(context.inputDir(modelStep));
        if (kept == null || kept.length != state.chains.length) {
            throw new ConfigException(section + ".chain_init: 'keep' needs " + state.chains.length / nv
                    + " persistent chains from step '" + modelStep + "', which has "
                    + (kept == null ? "none" : kept.length / nv)
                    + (kept == null ? " (a prune step that rewinds the weights drops the chains)" : ""));
        }
        System.arraycopy(kept, 0, state.chains, 0, kept.length);
    }

    /**
     * Protocol §4 convergence: the verdict on the monitored test PLL as metrics ({@code converged}
     * 1/0, so non-converged runs can be found in MLflow with {@code metrics.converged = 0}) and as
     * {@code convergence.json}. A step that trained no epoch judges nothing and logs nothing.
     */
    private void recordConvergence(ConvergenceCriterion.Verdict verdict, StageContext context) throws IOException {
        Map<String, Object> json = new java.util.TreeMap<>(verdict.asMetrics());
        json.put("monitored_metric", "pll");
        json.put("window", context.config().get(keys.convergenceWindow));
        json.put("threshold", context.config().get(keys.convergenceThreshold));
        org.prunelab.io.AtomicFiles.writeBytes(context.workDir().resolve("convergence.json"),
                org.prunelab.stages.io.CanonicalJson.PRETTY.writeValueAsBytes(json));
        verdict.asMetrics().forEach((k, v) -> context.metrics().log(k, v));
        context.publishArtifact("convergence.json");
        if (!verdict.converged()) {
            context.progress().log(String.format(Locale.ROOT,
                    "%s: NOT CONVERGED (test PLL range %.2f nats, slope %.2f nats/epoch over the last %d epochs)",
                    context.stepName(), verdict.range(), verdict.slope(), context.config().get(keys.convergenceWindow)));
        }
    }

    /** The per-epoch monitor metrics as CSV (columns: the union of the rows' keys, in first-seen order). */
    private static void writeHistory(List<Map<String, Object>> history, StageContext context) throws IOException {
        CsvTable.write(context.workDir().resolve("history.csv"), history);
    }
}
