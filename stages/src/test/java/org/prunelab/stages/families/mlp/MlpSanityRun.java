package org.prunelab.stages.families.mlp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.prunelab.stages.Stage;
import org.prunelab.stages.TestStageContext;
import org.prunelab.stages.data.LoadDataStage;

/**
 * Not a test: a manual sanity run of the MLP stages on real MNIST IDX files (spec §2 shape check).
 * load-data → init → train (plateau) → prune (MCB/MCU one-shot 80 % + variable retraining, and MCB
 * iterative 25 %/step fixed 2 epochs) → evaluate. Usage: {@code MlpSanityRun <mnist-dir> <scratch-dir> [max_epochs [key=value...]]}.
 */
public final class MlpSanityRun {
    private MlpSanityRun() {
    }

    public static void main(String[] args) throws Exception {
        Path mnist = Path.of(args[0]);
        Path root = Files.createDirectories(Path.of(args[1]));
        int maxEpochs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("data.dir", mnist.toString());
        cfg.put("seed", 1);
        cfg.put("train.max_epochs", maxEpochs);
        for (int i = 3; i < args.length; i++) { // key=value overrides, e.g. train.schedule=fixed
            String[] kv = args[i].split("=", 2);
            cfg.put(kv[0], kv[1]);
        }
        Path data = step(new LoadDataStage(), cfg, root.resolve("load-data"), Map.of());
        Path init = step(new MlpInitStage("load-data"), cfg, root.resolve("init"), Map.of());
        long t0 = System.nanoTime();
        TestStageContext train = context(new MlpTrainStage("train", "load-data", "init"), cfg, root.resolve("train"),
                Map.of("load-data", data, "init", init));
        train.run(new MlpTrainStage("train", "load-data", "init"));
        System.out.printf(Locale.ROOT, "dense: test %.2f %% after %.0f epochs (%.0f s)%n",
                100 * train.metric("final.test_accuracy", 0), train.metric("final.epochs", 0),
                (System.nanoTime() - t0) / 1e9);
        Map<String, Path> inputs = Map.of("load-data", data, "train", train.workDir());
        String[][] arms = {
                {"class-blinded", "one-shot", "0", "true"},
                {"class-uniform", "one-shot", "0", "true"},
                {"class-distribution", "one-shot", "0", "true"},
                {"random", "one-shot", "0", "true"},
                {"class-blinded", "iterative", "2", "false"},
        };
        for (String[] arm : arms) {
            Map<String, Object> p = new HashMap<>(cfg);
            p.put("prune2.method", arm[0]);
            p.put("prune2.schedule", arm[1]);
            p.put("prune2.retrain_epochs", Integer.parseInt(arm[2]));
            p.put("prune2.retrain_until_stall", Boolean.parseBoolean(arm[3]));
            p.put("prune2.max_retrain_epochs", 25);
            p.put("prune2.target_compression", 0.8);
            String name = "prune-" + arm[0] + "-" + arm[1];
            TestStageContext c = context(new MlpPruneStage("prune2", "load-data", "train"), p, root.resolve(name),
                    inputs);
            c.run(new MlpPruneStage("prune2", "load-data", "train"));
            int steps = (int) c.metric("prune.steps", 0);
            Mlp m = MlpFiles.read(c.workDir());
            Path eval = step(new MlpEvaluateStage("load-data", "p"), Map.of(), root.resolve(name + "-eval"),
                    Map.of("load-data", data, "p", c.workDir()));
            System.out.printf(Locale.ROOT, "%-18s %-9s steps %d, compression %.1f %% (layer densities %.3f/%.3f):"
                            + " test %.2f %% without re-training of the last step, %.2f %% with (evaluate: %s)%n",
                    arm[0], arm[1], steps, 100 * m.compression(), m.density(0), m.density(1),
                    100 * c.metric("prune.test_accuracy_before_retrain", steps),
                    100 * c.metric("prune.test_accuracy_after_retrain", steps),
                    Files.readString(eval.resolve("evaluation.json")).replaceAll("(?s).*\"test_accuracy\" : ([0-9.]+).*", "$1"));
            System.out.println("    steps.csv:\n" + Files.readString(c.workDir().resolve("steps.csv")));
        }
    }

    private static Path step(Stage stage, Map<String, Object> cfg, Path root, Map<String, Path> inputs) throws Exception {
        Map<String, Path> in = new HashMap<>(inputs);
        in.put("load-data", root.getParent().resolve("load-data").resolve("work"));
        return context(stage, cfg, root, in).run(stage);
    }

    private static TestStageContext context(Stage stage, Map<String, Object> cfg, Path root, Map<String, Path> inputs) {
        TestStageContext c = new TestStageContext(stage, "step", cfg, root.resolve("work"));
        inputs.forEach(c::input);
        return c;
    }
}
