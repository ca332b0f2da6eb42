package org.prunelab.stages.families.mlp;

import org.prunelab.io.CsvTable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.prunelab.stages.io.CanonicalJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.prunelab.stages.CommonKeys;
import org.prunelab.stages.MetricSink;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.Stage;
import org.prunelab.stages.StageContext;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.ConfigKey;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.data.DatasetRef;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.prune.LayerPruning;
import org.prunelab.stages.prune.LayerwiseObsPruning;
import org.prunelab.stages.prune.PrunedLayers;
import org.prunelab.stages.prune.SecondOrderPruning;
import org.prunelab.stages.prune.PruningMethod;
import org.prunelab.stages.prune.PruningMethods;
import org.prunelab.stages.prune.PruningRequest;

/**
 * Prune an MLP (mlp-pruning protocol §2.2–§2.3) with {@link LayerPruning}: one-shot to
 * {@code target_compression}, or iteratively removing the fraction {@code rate} of the remaining
 * weights per step until the compression reaches the target (so 25 % steps to target 0.8 stop after
 * 6 steps at 82.2 %; the last step is not clipped, matching the protocol's table), a layer would be
 * empty, or at most {@code min_weights} remain. With {@code count} > 0 an iterative step removes exactly
 * that many weights instead (the authors' absolute schedule; {@link PruningRequest.Count}), but never
 * more than lie above {@code min_weights}, so a count schedule ends at the floor ({@link #stepCount}).
 * {@code obd}, {@code obd-fisher} and {@code l-obs} get the model's {@link MlpCurvature} on the training
 * images; L-OBS also corrects the surviving weights of each output unit.
 *
 * <p>Each step prunes, then re-trains: {@code retrain_epochs} fixed epochs, then, if
 * {@code retrain_until_stall}, further epochs while the validation accuracy gains at least
 * {@code min_gain} percentage points, up to {@code max_retrain_epochs} in all (the protocol's "variable"
 * re-training is retrain_epochs 0 + retrain_until_stall). ONE optimiser lives through the whole run
 * (protocol §2.3: SGD lr 0.01, momentum 0); at each step its moments of newly pruned weights are zeroed.
 * Test accuracy is recorded before and after each re-training with step = pruning step index (1..);
 * step 0 is the unpruned input model.
 *
 * <p>Method {@code none} passes the model through unchanged (no re-training). A checkpoint after
 * every finished step lets an interrupted iterative run resume at the next step, bit-exact: the
 * random saliencies of step k come from stream (seed, k, −1), the data order of its re-training
 * epoch e from stream (seed, k, e).
 */
public final class MlpPruneStage implements Stage {
    private final String section;
    private final String dataStep;
    private final String modelStep;
    private final ConfigKey<String> method;
    private final ConfigKey<String> schedule;
    private final ConfigKey<Double> targetCompression;
    private final ConfigKey<Double> rate;
    private final ConfigKey<Integer> retrainEpochs;
    private final ConfigKey<Boolean> retrainUntilStall;
    private final ConfigKey<Double> minGain;
    private final ConfigKey<Integer> maxRetrainEpochs;
    private final ConfigKey<Boolean> pruneOutputLayer;
    private final ConfigKey<Integer> minWeights;
    private final ConfigKey<Integer> count;
    private final ConfigKey<Integer> curvatureSamples;
    private final ConfigKey<Double> lobsDamping;
    private final MlpOptimizerKeys opt;

    /**
     * @param section   config section, e.g. {@code prune1} or {@code prune2}
     * @param dataStep  the load-data step
     * @param modelStep the upstream step whose model is pruned
     */
    public MlpPruneStage(String section, String dataStep, String modelStep) {
        this.section = section;
        this.dataStep = dataStep;
        this.modelStep = modelStep;
        method = ConfigKey.choice(section + ".method", "none",
                List.of("none", "class-blinded", "class-uniform", "class-distribution", "random", "obd", "obd-fisher",
                        "l-obs"),
                "saliency and threshold scope (protocol §2.2: MCB, MCU, MCD, random, OBD with the exact Hessian"
                        + " diagonal, OBD with its squared-gradient approximation, layer-wise OBS); none passes the"
                        + " model through");
        schedule = ConfigKey.choice(section + ".schedule", "one-shot", List.of("one-shot", "iterative"),
                "one pruning step to the target, or steps of `rate` until the target is reached");
        targetCompression = ConfigKey.real(section + ".target_compression", 0.8, 0.0, 1.0,
                "1 − remaining/total prunable weights to reach");
        rate = ConfigKey.real(section + ".rate", 0.25, 0.0, 1.0,
                "iterative: fraction of the REMAINING weights removed per step (protocol: p = 25 %)");
        retrainEpochs = ConfigKey.integer(section + ".retrain_epochs", 2, 0, 100_000,
                "fixed re-training epochs after each step (protocol: 2)");
        retrainUntilStall = ConfigKey.bool(section + ".retrain_until_stall", false,
                "after the fixed epochs, continue while the validation gain >= min_gain (protocol: variable re-training)");
        minGain = ConfigKey.real(section + ".min_gain", 1e-3, 0.0, 100.0,
                "variable re-training: minimum validation gain in percentage points (protocol: 0.001)");
        maxRetrainEpochs = ConfigKey.integer(section + ".max_retrain_epochs", 10, 0, 100_000,
                "variable re-training: cap on epochs per step (protocol: 10, or 25 in experiment 4)");
        pruneOutputLayer = ConfigKey.bool(section + ".prune_output_layer", true,
                "whether the output layer takes part (protocol §2.2: it does for every method)");
        minWeights = ConfigKey.integer(section + ".min_weights", 0, 0, Integer.MAX_VALUE,
                "iterative: stop once at most this many weights remain (protocol: 500)");
        count = ConfigKey.integer(section + ".count", 0, 0, Integer.MAX_VALUE,
                "iterative: remove exactly this many weights per step instead of `rate` (protocol: experiment 3's"
                        + " absolute schedule, 1000/5000/10000); 0 = use rate");
        curvatureSamples = ConfigKey.integer(section + ".curvature_samples", 0, 0, Integer.MAX_VALUE,
                "obd/l-obs: training images (the first of the split) the Hessian is computed from; 0 = all");
        lobsDamping = ConfigKey.real(section + ".lobs_damping", LayerwiseObsPruning.DEFAULT_DAMPING, 0.0, 1.0,
                "l-obs: H + damping·mean(diag H)·I is inverted (MNIST's constant border pixels make H singular)");
        opt = new MlpOptimizerKeys(section);
    }

    @Override
    public String kind() {
        return "mlp.prune";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(CommonKeys.SEED, MlpData.VALIDATION, MlpData.SPLIT_SEED,
                method, schedule, targetCompression, rate, retrainEpochs, retrainUntilStall, minGain, maxRetrainEpochs,
                pruneOutputLayer, minWeights, count, curvatureSamples, lobsDamping));
        keys.addAll(opt.keys());
        return keys;
    }

    @Override
    public void run(StageContext context) throws Exception {
        StageConfig config = context.config();
        Mlp input = MlpFiles.read(context.inputDir(modelStep));
        String how = config.get(method);
        if (how.equals("none")) {
            writeOutputs(context, input, List.of(), allocationRows(input, 0));
            context.metrics().log("prune.compression", input.compression());
            context.metrics().log("prune.weights_remaining", input.remainingWeights());
            return;
        }
        PruningMethod m = how.equals("l-obs") ? new LayerwiseObsPruning(config.get(lobsDamping))
                : PruningMethods.get(registryName(how));
        int perStep = config.get(count);
        boolean iterative = config.get(schedule).equals("iterative");
        double target = config.get(targetCompression);
        checkTarget(config, input, target, iterative, config.get(rate));
        MlpData data = MlpData.load(DatasetRef.read(context.inputDir(dataStep)), config.get(MlpData.VALIDATION),
                config.get(MlpData.SPLIT_SEED));
        MlpFiles.checkInputs(input, data.features());
        boolean[] included = LayerPruning.layers(input.layers(), config.get(pruneOutputLayer));
        OptimizerSettings settings = opt.settings(config);
        int evalBs = config.get(opt.evalBatchSize);
        String kernel = config.get(opt.kernel);
        long seed = Seeds.derive(config.get(CommonKeys.SEED), kind() + "/" + section);
        MetricSink metrics = context.metrics();

        Start start = startOrResume(context, input, data, kernel, evalBs);
        MlpTrainer.State state = start.state();
        int step = start.step();
        List<Map<String, Object>> steps = start.steps();
        List<Map<String, Object>> allocation = start.allocation();
        MlpRetraining retraining = new MlpRetraining(data, new MlpEpoch(data, config.get(opt.batchSize)), evalBs,
                config.get(retrainEpochs), config.get(retrainUntilStall), config.get(maxRetrainEpochs),
                config.get(minGain), config.get(opt.learningRate), seed);
        while (!finished(state.mlp, included, step, iterative, target, config.get(minWeights))) {
            double r = iterative ? config.get(rate) : LayerPruning.rateFor(state.mlp.groups(), included, target);
            int k = step + 1;
            PruningRequest.Target amount = iterative && perStep > 0
                    ? new PruningRequest.Count(stepCount(perStep, state.mlp.remainingWeights(), config.get(minWeights)))
                    : new PruningRequest.Rate(r);
            PruningRequest request = new PruningRequest(amount, included, Seeds.stream(seed, k, -1));
            long before = state.mlp.remainingWeights();
            state = state.withModel(pruned(state.mlp, m, request, data, config.get(curvatureSamples)));
            if (state.mlp.remainingWeights() == before && iterative) {
                context.progress().log(String.format(Locale.ROOT, "%s: step %d removed no weight (ties); stopping", context.stepName(), k));
                break;
            }
            MlpPass pass = MlpPass.of(state.mlp, kernel, opt.precision(config)); // runtime.precision
            MlpRetraining.Result retrained = retraining.retrain(new MlpTrainer(settings, pass), state, k);
            Map<String, Object> row = stepRow(k, iterative && perStep > 0 ? 0.0 : r, state.mlp, retrained);
            row.put("weights_removed", before - state.mlp.remainingWeights());
            steps.add(row);
            allocation.addAll(allocationRows(state.mlp, k));
            log(metrics, row, k);
            context.progress().log(String.format(Locale.ROOT, "%s: step %d: compression %.4f, test %.2f%% -> %.2f%% after %d epochs",
                    context.stepName(), k, state.mlp.compression(), 100 * retrained.testBefore().accuracy(),
                    100 * retrained.testAfter().accuracy(), retrained.epochs()));
            step = k;
            context.checkpoints().save(checkpoint(state, step, steps, allocation));
            if (!iterative) {
                break;
            }
        }
        writeOutputs(context, state.mlp, steps, allocation);
        metrics.log("prune.compression", state.mlp.compression());
        metrics.log("prune.weights_remaining", state.mlp.remainingWeights());
        metrics.log("prune.steps", step);
    }

    /**
     * The model after one pruning call: first-order rules lower the masks; second-order rules get the
     * model's curvature on the training images (the first {@code samples}, 0 = all) and may also
     * correct the surviving weights (L-OBS).
     */
    static Mlp pruned(Mlp mlp, PruningMethod m, PruningRequest request, MlpData data, int samples) {
        if (!(m instanceof SecondOrderPruning second)) {
            return mlp.withMasks(m.prune(mlp.groups(), request));
        }
        int n = samples == 0 ? data.trainCount() : Math.min(samples, data.trainCount());
        PrunedLayers result = second.prune(mlp.groups(), request, new MlpCurvature(mlp, data.trainX(), data.trainY(), n));
        if (result.weights() == null) {
            return mlp.withMasks(result.masks());
        }
        return new Mlp(mlp.sizes, Mlp.deepCopy(result.weights()), Mlp.deepCopy(mlp.b), result.masks()).withMasks(
                result.masks());
    }

    /** Pruning only removes weights, and an iterative schedule needs a step size. */
    private void checkTarget(StageConfig config, Mlp input, double target, boolean iterative, double stepRate) {
        if (target < input.compression() - 1e-12) {
            throw new ConfigException(section + ".target_compression: " + target + " is below the model's compression "
                    + input.compression() + "; pruning only removes weights");
        }
        if (iterative && stepRate <= 0.0 && target > input.compression() && config.get(count) == 0) {
            throw new ConfigException(section + ".rate must be > 0 for an iterative schedule");
        }
    }

    /** The state to prune from: a checkpoint's, or the input model with its step-0 row. */
    private record Start(MlpTrainer.State state, int step, List<Map<String, Object>> steps,
                         List<Map<String, Object>> allocation) {
    }

    private static Start startOrResume(StageContext context, Mlp input, MlpData data, String kernel, int evalBs)
            throws IOException {
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Map<String, Object>> allocation = new ArrayList<>();
        Optional<Checkpoint> checkpoint = context.checkpoints().latest();
        if (checkpoint.isPresent()) {
            Checkpoint c = checkpoint.get();
            MlpTrainer.State state = MlpCheckpoints.restore(input.sizes, c, MlpCheckpoints.longValue(c, "adam_step"));
            int step = MlpCheckpoints.integer(c, "step");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> savedSteps = (List<Map<String, Object>>) c.state().get("steps");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> savedAllocation = (List<Map<String, Object>>) c.state().get("allocation");
            steps.addAll(savedSteps);
            allocation.addAll(savedAllocation);
            context.progress().log(String.format(Locale.ROOT, "%s: resuming after pruning step %d (compression %.4f)",
                    context.stepName(), step, state.mlp.compression()));
            return new Start(state, step, steps, allocation);
        }
        MlpTrainer.State state = MlpTrainer.State.fresh(input.copy());
        MlpPass pass = MlpPass.of(state.mlp, kernel);
        MlpPass.Score test = pass.score(data.testX(), data.testY(), data.testCount(), evalBs);
        MlpPass.Score val = pass.score(data.valX(), data.valY(), data.validationCount(), evalBs);
        Map<String, Object> row = stepRow(0, 0.0, state.mlp, new MlpRetraining.Result(test, test, val, val, 0));
        steps.add(row);
        allocation.addAll(allocationRows(state.mlp, 0));
        log(context.metrics(), row, 0);
        return new Start(state, 0, steps, allocation);
    }

    /**
     * Weights one step of a fixed-count schedule removes: {@code count}, but no more than lie above the
     * floor. Unclipped, the last step overshoots it, and a count larger than what is left removes every
     * weight (experiment 3: 10,000 of the 9,400 left after seven steps of a 79,400-weight network).
     * Called only while more than {@code minWeights} remain, so it is at least 1.
     */
    static long stepCount(int count, long remaining, int minWeights) {
        return Math.min(count, Math.max(0L, remaining - minWeights));
    }

    /** Whether no further step should run. One-shot: after its single step (or if already at target). */
    private static boolean finished(Mlp mlp, boolean[] included, int step, boolean iterative, double target,
                                    int minWeights) {
        if (mlp.compression() >= target - 1e-12) {
            return true;
        }
        if (!iterative) {
            return step >= 1;
        }
        for (int l = 0; l < mlp.layers(); l++) {
            if (included[l] && mlp.remaining(l) == 0) {
                return true;
            }
        }
        return mlp.remainingWeights() <= minWeights;
    }

    private static Map<String, Object> stepRow(int step, double rate, Mlp mlp, MlpRetraining.Result scores) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("rate", rate);
        row.put("weights_remaining", mlp.remainingWeights());
        row.put("compression", mlp.compression());
        row.put("test_accuracy_before_retrain", scores.testBefore().accuracy());
        row.put("test_accuracy_after_retrain", scores.testAfter().accuracy());
        row.put("test_loss_after_retrain", scores.testAfter().loss());
        row.put("val_accuracy_before_retrain", scores.valBefore().accuracy());
        row.put("val_accuracy_after_retrain", scores.valAfter().accuracy());
        row.put("retrain_epochs", scores.epochs());
        for (int l = 0; l < mlp.layers(); l++) {
            row.put("layer" + l + "_density", mlp.density(l));
        }
        return row;
    }

    private static void log(MetricSink metrics, Map<String, Object> row, int step) {
        for (var e : row.entrySet()) {
            if (!e.getKey().equals("step") && e.getValue() instanceof Number v) {
                metrics.log("prune." + e.getKey(), v.doubleValue(), step);
            }
        }
    }

    private static List<Map<String, Object>> allocationRows(Mlp mlp, int step) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerPruning.Allocation a : LayerPruning.allocation(mlp.groups())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step);
            row.put("layer", a.layer());
            row.put("kept", a.kept());
            row.put("total", a.total());
            row.put("density", a.density());
            rows.add(row);
        }
        return rows;
    }

    private static void writeOutputs(StageContext context, Mlp mlp, List<Map<String, Object>> steps,
                                     List<Map<String, Object>> allocation) throws Exception {
        MlpFiles.write(mlp, context.workDir());
        List<Map<String, Object>> alloc = allocation.isEmpty() ? allocationRows(mlp, 0) : allocation;
        CsvTable.write(context.workDir().resolve("allocation.csv"), List.of("step", "layer", "kept", "total", "density"), alloc);
        CsvTable.write(context.workDir().resolve("steps.csv"), List.of("step"), steps);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("compression", mlp.compression());
        summary.put("weights_remaining", mlp.remainingWeights());
        summary.put("prunable_weights", mlp.prunableWeights());
        summary.put("allocation", allocationRows(mlp, steps.isEmpty() ? 0 : ((Number) steps.get(steps.size() - 1)
                .get("step")).intValue()));
        AtomicFiles.writeBytes(context.workDir().resolve("prune.json"),
                CanonicalJson.PRETTY.writeValueAsBytes(summary));
        context.publishArtifact(MlpFiles.MODEL);
        context.publishArtifact("allocation.csv");
        context.publishArtifact("steps.csv");
        context.publishArtifact("prune.json");
    }

    private static Checkpoint checkpoint(MlpTrainer.State s, int step, List<Map<String, Object>> steps,
                                         List<Map<String, Object>> allocation) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("adam_step", s.step);
        state.put("steps", new ArrayList<>(steps));
        state.put("allocation", new ArrayList<>(allocation));
        return new Checkpoint(step, MlpCheckpoints.tensors(s), state);
    }

    /** The spec's {@code random} is a uniform saliency under the percentile rule, not exact-count dilution. */
    static String registryName(String configValue) {
        return configValue.equals("random") ? "random-saliency" : configValue;
    }
}
