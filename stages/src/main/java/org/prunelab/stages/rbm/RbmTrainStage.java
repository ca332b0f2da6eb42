package org.prunelab.stages.rbm;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Progress;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.stages.io.AtomicFiles;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.kernel.RbmKernel;
import org.prunelab.stages.kernel.RbmKernels;

/**
 * Train (and retrain): CD-k or PCD-k on the binarised training images, with the connectivity mask
 * applied to gradients, momentum and weights so pruned weights stay exactly zero.
 *
 * <p>Exact resume: the data order of epoch e is drawn from stream (seed, e) and the noise of update
 * (e, b) from stream (seed, e, b), so no generator state needs saving. A checkpoint (weights, mask,
 * momentum, persistent chains, position, metric history) can therefore be taken after any update,
 * and a run killed at any point and restarted ends bit-identical to an uninterrupted one.
 */
public final class RbmTrainStage implements Stage {
    private final String section;
    private final String dataStep;
    private final String modelStep;
    private final ConfigKey<String> algorithm;
    private final ConfigKey<Integer> k;
    private final ConfigKey<Integer> epochs;
    private final ConfigKey<Double> learningRate;
    private final ConfigKey<Double> momentumInitial;
    private final ConfigKey<Double> momentumFinal;
    private final ConfigKey<Integer> momentumSwitchEpoch;
    private final ConfigKey<Double> weightDecay;
    private final ConfigKey<Integer> batchSize;
    private final ConfigKey<Integer> chains;
    private final ConfigKey<String> chainInit;
    private final ConfigKey<String> kernel;
    private final ConfigKey<Integer> monitorSamples;

    /**
     * @param section   config section ({@code train} or {@code retrain})
     * @param dataStep  the load-data step
     * @param modelStep the step whose model (and mask) is trained
     */
    public RbmTrainStage(String section, String dataStep, String modelStep) {
        this.section = section;
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        algorithm = ConfigKey.choice(section + ".algorithm", "pcd", List.of("cd", "pcd"),
                "contrastive divergence (chains restart at the batch) or persistent CD");
        k = ConfigKey.integer(section + ".k", 1, 1, 10_000, "Gibbs steps per update");
        epochs = ConfigKey.integer(section + ".epochs", 10, 0, 100_000, "passes over the training images");
        learningRate = ConfigKey.real(section + ".learning_rate", 0.01, 0.0, 10.0, "SGD step size");
        momentumInitial = ConfigKey.real(section + ".momentum_initial", 0.5, 0.0, 0.999,
                "momentum before momentum_switch_epoch");
        momentumFinal = ConfigKey.real(section + ".momentum_final", 0.9, 0.0, 0.999,
                "momentum from momentum_switch_epoch on");
        momentumSwitchEpoch = ConfigKey.integer(section + ".momentum_switch_epoch", 5, 0, 100_000,
                "epoch at which momentum switches to momentum_final");
        weightDecay = ConfigKey.real(section + ".weight_decay", 1e-4, 0.0, 1.0, "L2 weight decay (weights only)");
        batchSize = ConfigKey.integer(section + ".batch_size", 100, 1, 1_000_000, "images per update");
        chains = ConfigKey.integer(section + ".chains", 0, 0, 1_000_000,
                "persistent chains for PCD (0 = batch size)");
        chainInit = ConfigKey.choice(section + ".chain_init", "data", List.of("data", "noise", "keep"),
                "PCD chains start from random training images, uniform noise, or the upstream step's chains");
        kernel = ConfigKey.choice(section + ".kernel", "auto", List.of("auto", "dense", "sparse"),
                "numeric kernel; auto picks sparse for sparse masks");
        monitorSamples = ConfigKey.integer(section + ".monitor_samples", 500, 1, 1_000_000,
                "test (and train) images scored after every epoch");
    }

    @Override
    public String kind() {
        return "rbm.train";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(CommonKeys.SEED, algorithm, k, epochs, learningRate, momentumInitial, momentumFinal,
                momentumSwitchEpoch, weightDecay, batchSize, chains, chainInit, kernel, monitorSamples);
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        DatasetRef data = DatasetRef.read(context.inputDir(dataStep));
        double[] train = data.trainBinary();
        double[] test = data.testBinary();
        int n = data.trainCount();
        int nv = data.features();
        int bs = config.get(batchSize);
        if (n < bs) {
            throw new ConfigException(section + ".batch_size: " + bs + " is larger than the " + n
                    + " training images");
        }
        Rbm start = RbmFiles.read(context.inputDir(modelStep));
        if (start.nv != nv) {
            throw new IllegalStateException("model has " + start.nv + " visible units, data has " + nv + " pixels");
        }
        int nChains = config.get(algorithm).equals("pcd") ? (config.get(chains) == 0 ? bs : config.get(chains)) : 0;
        TrainingSettings settings = new TrainingSettings(config.get(algorithm), config.get(k),
                config.get(learningRate), config.get(momentumInitial), config.get(momentumFinal),
                config.get(momentumSwitchEpoch), config.get(weightDecay), bs, nChains);
        RbmKernel rbmKernel = RbmKernels.forModel(start, config.get(kernel));
        RbmTrainer trainer = new RbmTrainer(settings, rbmKernel);
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section);

        RbmTrainer.State state;
        int epoch0 = 0;
        int batch0 = 0;
        long updates = 0;
        List<Map<String, Object>> history = new ArrayList<>();
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        if (checkpoint.isPresent()) {
            Checkpoint c = checkpoint.get();
            Rbm rbm = new Rbm(start.nv, start.nh, c.doubles("w"), c.doubles("a"), c.doubles("b"), c.bytes("mask"));
            state = new RbmTrainer.State(rbm, c.doubles("vel_w"), c.doubles("vel_a"), c.doubles("vel_b"),
                    c.doubles("chains"));
            epoch0 = ((Number) c.state().get("epoch")).intValue();
            batch0 = ((Number) c.state().get("batch")).intValue();
            updates = ((Number) c.state().get("updates")).longValue();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> saved = (List<Map<String, Object>>) c.state().get("history");
            history.addAll(saved);
            System.out.printf(Locale.ROOT, "    %s: resuming at epoch %d, batch %d (%d updates done)%n",
                    context.stepName(), epoch0, batch0, updates);
        } else {
            state = trainer.initialState(start, train, n, Seeds.stream(seed, -1));
            initialiseChains(state, config.get(chainInit), context, nv, Seeds.stream(seed, -2));
        }

        int batches = n / bs;
        int totalEpochs = config.get(epochs);
        int monitor = Math.min(config.get(monitorSamples), Math.min(n, data.testCount()));
        double[] batch = new double[bs * nv];
        MetricSink metrics = context.metrics();
        try (Progress.Task task = context.progress().start(context.stepName(), (long) totalEpochs * batches,
                (long) epoch0 * batches + batch0)) {
            for (int epoch = epoch0; epoch < totalEpochs; epoch++) {
                long epochStart = System.nanoTime();
                int[] order = permutation(n, Seeds.stream(seed, epoch));
                for (int b = epoch == epoch0 ? batch0 : 0; b < batches; b++) {
                    for (int r = 0; r < bs; r++) {
                        System.arraycopy(train, order[b * bs + r] * nv, batch, r * nv, nv);
                    }
                    trainer.update(state, batch, bs, epoch, Seeds.stream(seed, epoch, b));
                    updates++;
                    task.step(1);
                    if (b + 1 < batches && context.checkpoints().due(updates)) {
                        context.checkpoints().save(checkpoint(state, epoch, b + 1, updates, history));
                    }
                }
                Map<String, Object> row = epochMetrics(state.rbm, rbmKernel, train, test, monitor, epoch + 1);
                history.add(row);
                for (var e : row.entrySet()) {
                    if (!e.getKey().equals("epoch")) {
                        metrics.log(e.getKey(), ((Number) e.getValue()).doubleValue(), epoch + 1);
                    }
                }
                metrics.log("epoch_seconds", (System.nanoTime() - epochStart) / 1e9, epoch + 1);
                task.message(String.format(Locale.ROOT, "epoch %d: pll %.2f, recon %.4f", epoch + 1,
                        ((Number) row.get("pll")).doubleValue(), ((Number) row.get("recon_error")).doubleValue()));
                context.checkpoints().save(checkpoint(state, epoch + 1, 0, updates, history));
            }
        }
        RbmFiles.write(state.rbm, context.workDir());
        if (state.chains.length > 0) {
            RbmFiles.writeChains(state.chains, nv, context.workDir());
        }
        writeHistory(history, context);
        context.publishArtifact(RbmFiles.WEIGHTS);
        context.publishArtifact(RbmFiles.MASK);
        context.publishArtifact("history.csv");
    }

    private void initialiseChains(RbmTrainer.State state, String policy, StageContext context, int nv,
                                  SplittableRandom rng) throws IOException {
        if (state.chains.length == 0 || policy.equals("data")) {
            return; // initialState already started the chains from random training images
        }
        if (policy.equals("noise")) {
            for (int i = 0; i < state.chains.length; i++) {
                state.chains[i] = rng.nextBoolean() ? 1.0 : 0.0;
            }
            return;
        }
        double[] kept = RbmFiles.readChains(context.inputDir(modelStep));
        if (kept == null || kept.length != state.chains.length) {
            throw new ConfigException(section + ".chain_init: 'keep' needs " + state.chains.length / nv
                    + " persistent chains from step '" + modelStep + "', which has "
                    + (kept == null ? "none" : kept.length / nv));
        }
        System.arraycopy(kept, 0, state.chains, 0, kept.length);
    }

    private static Map<String, Object> epochMetrics(Rbm rbm, RbmKernel kernel, double[] train, double[] test,
                                                    int monitor, int epoch) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("recon_error", RbmMetrics.reconstructionError(rbm, kernel, test, monitor));
        row.put("pll", RbmMetrics.pseudoLogLikelihood(rbm, test, monitor));
        row.put("free_energy_gap", RbmMetrics.meanFreeEnergy(rbm, kernel, test, monitor)
                - RbmMetrics.meanFreeEnergy(rbm, kernel, train, monitor));
        if (RbmMetrics.exactFeasible(rbm, 16)) {
            row.put("exact_ll", RbmMetrics.logLikelihoodExact(rbm, kernel, test, monitor));
        }
        row.put("sparsity", rbm.sparsity());
        return row;
    }

    private static Checkpoint checkpoint(RbmTrainer.State s, int epoch, int batch, long updates,
                                         List<Map<String, Object>> history) {
        Rbm r = s.rbm;
        Map<String, Checkpoint.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Checkpoint.Tensor.of(r.w.clone(), r.nv, r.nh));
        tensors.put("a", Checkpoint.Tensor.of(r.a.clone(), r.nv));
        tensors.put("b", Checkpoint.Tensor.of(r.b.clone(), r.nh));
        tensors.put("mask", Checkpoint.Tensor.of(r.mask.clone(), r.nv, r.nh));
        tensors.put("vel_w", Checkpoint.Tensor.of(s.velW.clone(), r.nv, r.nh));
        tensors.put("vel_a", Checkpoint.Tensor.of(s.velA.clone(), r.nv));
        tensors.put("vel_b", Checkpoint.Tensor.of(s.velB.clone(), r.nh));
        tensors.put("chains", Checkpoint.Tensor.of(s.chains.clone(), s.chains.length));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", epoch);
        state.put("batch", batch);
        state.put("updates", updates);
        state.put("history", new ArrayList<>(history));
        return new Checkpoint(updates, tensors, state);
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void writeHistory(List<Map<String, Object>> history, StageContext context) throws IOException {
        StringWriter text = new StringWriter();
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : history) {
            for (String key : row.keySet()) {
                if (!columns.contains(key)) {
                    columns.add(key);
                }
            }
        }
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder()
                .setHeader(columns.toArray(String[]::new)).build())) {
            for (Map<String, Object> row : history) {
                List<Object> values = new ArrayList<>();
                for (String c : columns) {
                    values.add(row.getOrDefault(c, ""));
                }
                csv.printRecord(values);
            }
        }
        AtomicFiles.writeString(context.workDir().resolve("history.csv"), text.toString());
    }
}
