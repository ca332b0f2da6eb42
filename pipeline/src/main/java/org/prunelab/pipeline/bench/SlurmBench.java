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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.pipeline.executor.slurm.SlurmSubmitter;

/**
 * {@code make bench-slurm}: the Slurm executor's overhead on the cluster of {@code make slurm-up},
 * printed, never asserted.
 * <ol>
 * <li>planning and submitting a 100-point sweep (target &lt; 5 s); the jobs are submitted held
 * ({@code --hold}) and cancelled, so nothing runs;</li>
 * <li>per-job start-up: a fresh JVM that loads the config, plans its point and finds nothing to
 * compute, i.e. what every job pays before its step starts; and Slurm's own dispatch latency, from
 * {@code sbatch} to a trivial job running.</li>
 * </ol>
 * Argument: DATA_DIR (the MNIST IDX directory). Tracking is off: MLflow is not what is measured.
 */
public final class SlurmBench {
    private SlurmBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createTempDirectory("prunelab-slurm-bench-");
        System.out.println("prunelab Slurm executor benchmark (" + Runtime.getRuntime().availableProcessors()
                + " cores, java " + System.getProperty("java.version") + ", SLURM_CONF=" + System.getenv("SLURM_CONF")
                + ")");
        Path config = work.resolve("sweep100.yaml");
        Files.writeString(config, String.join("\n",
                "experiment: bench-slurm",
                "seed: [1, 2, 3, 4]",
                "data: {dir: '" + data + "', train_limit: 300, test_limit: 100}",
                "model: {hidden: 4}",
                "prune: {method: none}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "reprune: {method: magnitude, sparsity: [0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7,"
                        + " 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98]}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "evaluate: {samples: 2, gibbs_sweeps: 2, pll_samples: 20, exact_max_units: 0}", ""));
        submission(work, config);
        startUp(work, data);
    }

    private static void submission(Path work, Path config) throws Exception {
        Path runs = work.resolve("runs-100");
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        String out = run("sweep", config.toString(), "--executor", "slurm", "--runs-dir", runs.toString(),
                "--no-tracking", "--sbatch-arg=--hold");
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
        Matcher plan = Pattern.compile("in (\\d+) jobs; planned in ([0-9.]+) s").matcher(out);
        Matcher jobs = Pattern.compile("submitted (\\d+) job\\(s\\)").matcher(out);
        if (!plan.find() || !jobs.find()) {
            throw new IllegalStateException("unexpected sweep output:\n" + out);
        }
        int submitted = Integer.parseInt(jobs.group(1)) + 1; // + the finalising job
        double planSeconds = Double.parseDouble(plan.group(2));
        System.out.printf(Locale.ROOT, "100-point sweep (4 seeds x 25 sparsities, dense step shared per seed):"
                        + " %s jobs for the step graph + 1 finalising job%n", plan.group(1));
        System.out.printf(Locale.ROOT, "  plan + submit: %.2f s (plan %.2f s, submit %.2f s = %.0f ms per sbatch)"
                + "  [target < 5 s]%n", seconds, planSeconds, seconds - planSeconds,
                (seconds - planSeconds) * 1000 / submitted);
        // On a shared machine wall time includes waiting for a core; CPU time shows what is ours.
        System.out.printf(Locale.ROOT, "  CPU time of the submitting JVM: %.2f s; load average during the run: %.1f on"
                + " %d cores%n", cpuSeconds, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        long t1 = System.nanoTime();
        String again = run("sweep", config.toString(), "--executor", "slurm", "--runs-dir", runs.toString(),
                "--no-tracking", "--sbatch-arg=--hold");
        System.out.printf(Locale.ROOT, "  re-running the same command (everything queued, nothing submitted): %.2f s%s%n",
                (System.nanoTime() - t1) / 1e9, again.contains("submitted 0 job(s)") ? "" : "  (UNEXPECTED: " + again + ")");
        run("cancel", config.toString(), "--runs-dir", runs.toString());
    }

    private static void startUp(Path work, Path data) throws Exception {
        Path config = work.resolve("one.yaml");
        Files.writeString(config, String.join("\n", "experiment: bench-slurm-one",
                "data: {dir: '" + data + "', train_limit: 300, test_limit: 100}", "model: {hidden: 4}",
                "train: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "retrain: {epochs: 1, batch_size: 50, monitor_samples: 20}",
                "evaluate: {samples: 2, gibbs_sweeps: 2, pll_samples: 20, exact_max_units: 0}", ""));
        Path runs = work.resolve("runs-one");
        run("run", config.toString(), "--runs-dir", runs.toString(), "--no-tracking");
        List<String> command = new ArrayList<>(SlurmSubmitter.javaCommand());
        command.addAll(List.of("run-steps", config.toString(), "--point", "0", "--steps", "evaluate", "--runs-dir",
                runs.toString(), "--no-tracking"));
        double[] seconds = new double[3];
        for (int i = 0; i < seconds.length; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                    ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("run-steps failed: " + command);
            }
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        System.out.printf(Locale.ROOT, "per-job start-up (fresh JVM, load config, plan the point, nothing to compute):"
                + " median %.2f s (min %.2f, max %.2f)%n", seconds[1], seconds[0], seconds[2]);
        double[] latency = new double[3];
        for (int i = 0; i < latency.length; i++) {
            Path stamp = work.resolve("stamp-" + i);
            long before = System.currentTimeMillis();
            Process p = new ProcessBuilder("sbatch", "--parsable", "--output=/dev/null",
                    "--wrap=date +%s%3N > " + stamp).redirectErrorStream(true).start();
            String id = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("sbatch failed: " + id);
            }
            long deadline = System.currentTimeMillis() + 120_000;
            while (!(Files.exists(stamp) && Files.size(stamp) > 0) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            latency[i] = (Long.parseLong(Files.readString(stamp).trim()) - before) / 1e3;
        }
        Arrays.sort(latency);
        System.out.printf(Locale.ROOT, "Slurm dispatch latency (sbatch -> a trivial job running): median %.2f s"
                + " (min %.2f, max %.2f)%n", latency[1], latency[0], latency[2]);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new Main(print, print).execute(args);
        String out = bytes.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IllegalStateException("prunelab " + String.join(" ", args) + " exited " + code + ":\n" + out);
        }
        return out;
    }
}
