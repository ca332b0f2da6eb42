package org.prunelab.pipeline.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.pipeline.store.Json;
import org.prunelab.pipeline.store.StepManifest;

/**
 * {@code make bench}: the engine's own overhead, printed, never asserted.
 * <ol>
 * <li>time to decide that a finished 50-point sweep has nothing to do (target &lt; 2 s);</li>
 * <li>tracking overhead on the default run: wall time with and without MLflow, and the time the
 * pipeline's thread spent in tracking calls, as shares of training time (target &lt; 5 %).</li>
 * </ol>
 * Arguments: DATA_DIR (the MNIST IDX directory), CONFIG (the default run's config), and the
 * tracking URI in $MLFLOW_TRACKING_URI.
 */
public final class EngineBench {
    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        Path config = Path.of(args[1]);
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        Path work = Files.createTempDirectory("prunelab-bench-");
        System.out.println("prunelab engine benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ")");
        sweepDecision(work, data);
        if (uri == null) {
            System.out.println("tracking overhead: skipped (MLFLOW_TRACKING_URI not set; make bench sets it)");
        } else {
            trackingOverhead(work, config, uri);
        }
    }

    private static void sweepDecision(Path work, Path data) throws Exception {
        Path config = work.resolve("sweep50.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: bench-sweep",
                "seed: [1, 2, 3, 4, 5]",
                "data: {dir: '" + data + "', train_limit: 300, test_limit: 100}",
                "model: {hidden: 4}",
                "prune: {method: none}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "evaluate: {samples: 2, gibbs_sweeps: 2, pll_samples: 20, exact_max_units: 0}", ""));
        Path runs = work.resolve("sweep-runs");
        long t0 = System.nanoTime();
        run("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        double first = (System.nanoTime() - t0) / 1e9;
        double[] again = new double[5];
        for (int i = 0; i < again.length; i++) {
            long t = System.nanoTime();
            String out = run("sweep", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
            again[i] = (System.nanoTime() - t) / 1e9;
            if (!out.contains("50 points: 0 computed now")) {
                throw new IllegalStateException("finished sweep recomputed something:\n" + out);
            }
        }
        Arrays.sort(again);
        System.out.printf(Locale.ROOT, "50-point sweep: first run %.1f s; deciding it has nothing to do: median %.2f s,"
                + " min %.2f s over %d runs in one JVM (target < 2 s)%n", first, again[again.length / 2], again[0],
                again.length);
        long t = System.nanoTime();
        Process p = new ProcessBuilder(javaCommand("sweep", config.toString(), "--runs-dir", runs.toString(),
                "--no-tracking")).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        System.out.printf(Locale.ROOT, "  the same as a fresh 'prunelab sweep' process (JVM start included): %.2f s%n",
                (System.nanoTime() - t) / 1e9);
    }

    private static void trackingOverhead(Path work, Path config, String uri) throws Exception {
        // Fresh runs directories so both runs compute everything; an experiment name of its own.
        String experiment = "bench-overhead-" + System.currentTimeMillis();
        double[] without = timedRun(config, work.resolve("plain"), experiment, null);
        double[] with = timedRun(config, work.resolve("tracked"), experiment, uri);
        double training = without[1];
        System.out.printf(Locale.ROOT, "default run (%s): wall %.1f s without tracking, %.1f s with MLflow"
                + " -> %+.1f %% of training time (%.1f s of train+retrain)%n", config, without[0], with[0],
                100 * (with[0] - without[0]) / training, training);
        System.out.printf(Locale.ROOT, "  time the pipeline thread spent in tracking calls: %.3f s = %.2f %% of"
                + " training time (target < 5 %%)%n", with[2], 100 * with[2] / training);
    }

    /** {wall seconds, seconds of the train and retrain steps, tracking caller seconds}. */
    private static double[] timedRun(Path config, Path runs, String experiment, String uri) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--runs-dir", runs.toString(),
                "--set", "experiment=" + experiment));
        args.add(uri == null ? "--no-tracking" : "--tracking-uri");
        if (uri != null) {
            args.add(uri);
        }
        long t0 = System.nanoTime();
        String out = run(args.toArray(String[]::new));
        double wall = (System.nanoTime() - t0) / 1e9;
        double training = 0;
        try (var manifests = Files.walk(runs.resolve("steps/rbm.train"))) {
            for (Path m : manifests.filter(p -> p.getFileName().toString().equals(StepManifest.FILE)).toList()) {
                training += Json.read(m, StepManifest.class).seconds();
            }
        }
        double caller = 0;
        for (String line : out.split("\n")) {
            if (line.contains("tracking calls took")) {
                caller = Double.parseDouble(line.replaceAll(".*took ([0-9.]+) s.*", "$1"));
            }
        }
        return new double[] {wall, training, caller};
    }

    private static String run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int code = new Main(out, out).execute(args);
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IllegalStateException("prunelab " + String.join(" ", args) + " failed:\n" + text);
        }
        return text;
    }

    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
