package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.io.Digests;
import org.prunelab.pipeline.TestEnvironment;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.cli.Main;
import org.prunelab.tracking.MetricPoint;
import org.prunelab.tracking.RunInfo;
import org.prunelab.tracking.RunStatus;
import org.prunelab.tracking.TrackingClient;
import org.prunelab.tracking.mlflow.MlflowTracking;

/**
 * The fault-injection suite (issue 15): a real JVM runs a tracked pipeline of the toy family
 * ({@code linreg}, 12 epochs of 9 updates, slowed to ~10 ms per update so training lasts about a
 * second) against the real MLflow server and is killed with SIGKILL at seeded random moments; after
 * some kills a piece of saved state is damaged as well (the newest checkpoint, the attempts
 * counter, the outbox state, a torn journal line, a delivered journal line in the middle); then the same command is run again. Every
 * scenario must end with outputs bit-identical to an unkilled run and, on the server, one run per
 * step, every run FINISHED with a positive duration, and every metric step exactly once. Also: a
 * run whose tracking server is unreachable throughout, delivered afterwards by {@code sync}, and
 * the same config run again in a fresh runs directory (no run and no point doubled).
 */
class FaultInjectionTest {
    private static final long SEED = 15;
    private static final int KILLS = 10;
    private static final int EPOCHS = 12;
    private static final List<String> STEPS = List.of("load-data", "init", "train", "evaluate");

    @TempDir
    static Path work;
    private static String uri;
    private static TrackingClient client;
    private static Map<String, String> referenceOutputs;
    private static Path reference;

    @BeforeAll
    static void referenceRun() throws Exception {
        uri = TestEnvironment.trackingUri();
        client = MlflowTracking.connect(uri);
        reference = work.resolve("reference");
        var done = TinyConfigs.cli("run", config("reference").toString(), "--runs-dir", reference.toString(), "--no-tracking");
        assertEquals(0, done.code(), done.output());
        referenceOutputs = outputDigests(reference);
        assertTrue(referenceOutputs.keySet().stream().anyMatch(k -> k.endsWith("/weights.npy")), referenceOutputs.toString());
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    /** A config of the toy family whose experiment (an MLflow experiment per scenario) is unique. */
    private static Path config(String experiment) throws IOException {
        Path file = work.resolve(experiment + ".yaml");
        Files.writeString(file, String.join("\n",
                "experiment: " + experiment,
                "pipeline: linreg",
                "seed: 5",
                "linreg: {samples: 240, features: 8, sparsity: 0.25, epochs: " + EPOCHS + ", batch_size: 20}",
                "runtime: {checkpoint_every_updates: 5, checkpoint_every_seconds: 0}",
                ""));
        return file;
    }

    private static List<String> command(Path config, Path runs, String trackingUri) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dprunelab.test.linreg.update_sleep_ms=10", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", config.toString(), "--runs-dir", runs.toString(), "--tracking-uri", trackingUri);
    }

    private static Process start(Path config, Path runs, String trackingUri, Path log) throws IOException {
        return new ProcessBuilder(command(config, runs, trackingUri)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int runToEnd(Path config, Path runs, String trackingUri, Path log) throws Exception {
        Process p = start(config, runs, trackingUri, log);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "run did not finish:\n" + Files.readString(log));
        return p.exitValue();
    }

    @Test
    void sigkillAtSeededRandomMomentsWithDamagedStateLosesAndDoublesNothing() throws Exception {
        // An unkilled tracked run measures how long a run takes here, under this machine's load.
        String base = "faults-" + UUID.randomUUID().toString().substring(0, 8);
        Path unkilledRuns = work.resolve("unkilled");
        Path unkilledLog = work.resolve("unkilled.log");
        long t0 = System.nanoTime();
        assertEquals(0, runToEnd(config(base + "-unkilled"), unkilledRuns, uri, unkilledLog), Files.readString(unkilledLog));
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(referenceOutputs, outputDigests(unkilledRuns), "tracking changes no output");
        checkServer(base + "-unkilled");

        // Kills come in chains: the process resumed after a kill is the next one killed, until one
        // ends before its kill moment (then that chain is checked and a fresh one starts). So every
        // kill is followed by a resume, and the suite costs one JVM per kill, not two.
        Random random = new Random(SEED);
        List<Damage> damages = List.of(Damage.NONE, Damage.NEWEST_CHECKPOINT, Damage.ATTEMPTS, Damage.OUTBOX_STATE,
                Damage.TORN_JOURNAL_LINE, Damage.MIDDLE_JOURNAL_LINE);
        List<String> report = new ArrayList<>();
        int kills = 0;
        int chain = 0;
        for (int attempt = 0; kills < KILLS; attempt++) {
            assertTrue(attempt < 3 * KILLS, "too few kills landed before the runs ended: " + report);
            String experiment = base + "-c" + chain;
            Path runs = work.resolve("chain-" + chain);
            Path log = work.resolve("chain-" + chain + ".log");
            long killAt = 200 + (long) (random.nextDouble() * Math.max(wallMillis - 200, 100));
            Process p = start(config(experiment), runs, uri, log);
            if (p.waitFor(killAt, TimeUnit.MILLISECONDS)) {
                assertEquals(0, p.exitValue(), Files.readString(log));
                report.add(experiment + ": ended before " + killAt + " ms; checked");
                checkChain(experiment, runs);
                chain++;
                continue;
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            p.waitFor();
            if (p.exitValue() == 0) {
                // It finished in the instant between the wait's time-out and the kill (CI saw this
                // once): no kill landed, so it is checked like a run that ended before its moment.
                report.add(experiment + ": ended just before its kill at " + killAt + " ms; checked");
                checkChain(experiment, runs);
                chain++;
                continue;
            }
            assertEquals(137, p.exitValue(), "death by SIGKILL");
            kills++;
            Damage damage = damages.get(kills % damages.size());
            long quarantinedBefore = quarantinedJournals(runs);
            damage.apply(runs);
            report.add(experiment + ": killed at " + killAt + " ms, then damaged: " + damage);
            if (damage == Damage.MIDDLE_JOURNAL_LINE) {
                middleDamage.put(runs, quarantinedBefore);
                if (!middleLineWasDamaged(runs)) {
                    report.add(experiment + ": (no delivered metric line to damage yet)");
                }
            }
        }
        String experiment = base + "-c" + chain;
        Path runs = work.resolve("chain-" + chain);
        Path log = work.resolve("chain-" + chain + ".log");
        assertEquals(0, runToEnd(config(experiment), runs, uri, log), "last resume after " + report + ":\n"
                + Files.readString(log));
        checkChain(experiment, runs);
        System.out.println("fault injection (an unkilled run took " + wallMillis + " ms):\n  " + String.join("\n  ", report));

        // The same config again in a fresh runs directory: the runs are found again, nothing doubled.
        Path fresh = work.resolve("fresh");
        Path freshLog = work.resolve("fresh.log");
        assertEquals(0, runToEnd(config(base + "-unkilled"), fresh, uri, freshLog), Files.readString(freshLog));
        assertEquals(referenceOutputs, outputDigests(fresh));
        checkServer(base + "-unkilled");
    }

    /** Chains whose journal had a delivered line damaged in the middle, and how many quarantined copies they had before. */
    private static final Map<Path, Long> middleDamage = new HashMap<>();

    /** Damaged journals moved aside ({@code journal.jsonl.damaged-*}) in every outbox slot of a runs directory. */
    private static long quarantinedJournals(Path runs) throws IOException {
        if (!Files.isDirectory(runs.resolve("outbox"))) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(runs.resolve("outbox"))) {
            return all.filter(p -> p.getFileName().toString().startsWith("journal.jsonl.damaged-")).count();
        }
    }

    private static void checkChain(String experiment, Path runs) throws Exception {
        assertEquals(referenceOutputs, outputDigests(runs), experiment + ": outputs bit-identical to the unkilled run");
        if (middleDamage.containsKey(runs)) {
            // The damage is real only if a delivered metric line existed to damage; then it was quarantined.
            assertTrue(quarantinedJournals(runs) > middleDamage.get(runs) || !middleLineWasDamaged(runs),
                    experiment + ": a journal damaged in the middle is moved aside, not jammed on");
        }
        var sync = TinyConfigs.cli("sync", "--runs-dir", runs.toString(), "--tracking-uri", uri);
        assertEquals(0, sync.code(), sync.output());
        checkServer(experiment);
    }

    @Test
    void aRunWhoseServerIsDownThroughoutIsDeliveredBySyncWithHonestTimes() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        String experiment = "faults-outage-" + UUID.randomUUID().toString().substring(0, 8);
        Path runs = work.resolve("outage");
        Path log = work.resolve("outage.log");
        assertEquals(0, runToEnd(config(experiment), runs, "http://127.0.0.1:" + deadPort, log), Files.readString(log));
        assertTrue(Files.readString(log).contains("prunelab sync"), "the user is told how to deliver:\n" + Files.readString(log));
        assertTrue(client.findExperiment(experiment).isEmpty(), "nothing reached the server yet");
        Thread.sleep(1500); // the server is back only later: runs must not start at delivery time
        var sync = TinyConfigs.cli("sync", "--runs-dir", runs.toString(), "--tracking-uri", uri);
        assertEquals(0, sync.code(), sync.output());
        assertEquals(referenceOutputs, outputDigests(runs));
        checkServer(experiment);
    }

    /** One pipeline run and one run per step, all FINISHED, positive durations, each metric step once. */
    private static void checkServer(String experiment) {
        String experimentId = client.findExperiment(experiment).orElseThrow(() -> new AssertionError("no experiment " + experiment));
        List<RunInfo> runs = client.searchRuns(List.of(experimentId), "");
        assertEquals(1 + STEPS.size(), runs.size(), experiment + ": one pipeline run and one run per step: " + runs);
        for (RunInfo run : runs) {
            assertEquals(RunStatus.FINISHED, run.status(), experiment + " " + run.runName());
            assertTrue(run.endTime() >= run.startTime(), experiment + " " + run.runName() + ": negative duration "
                    + (run.endTime() - run.startTime()) + " ms");
        }
        RunInfo train = step(runs, "train");
        assertTrue(train.endTime() - train.startTime() >= EPOCHS * 9 * 10 / 4,
                experiment + ": the train run lasts as long as its work, got " + (train.endTime() - train.startTime()) + " ms");
        List<Long> epochs = new ArrayList<>();
        for (long e = 1; e <= EPOCHS; e++) {
            epochs.add(e);
        }
        assertEquals(epochs, steps(train, "train_mse"), experiment + ": every epoch's train_mse exactly once");
        assertEquals(List.of(0L), steps(train, "epochs_run"), experiment);
        assertEquals(List.of(0L), steps(step(runs, "evaluate"), "test_mse"), experiment);
        RunInfo pipeline = runs.stream().filter(r -> r.tags().get("pipeline.step") == null).findFirst().orElseThrow();
        assertEquals(List.of(0L), steps(pipeline, "evaluate.test_mse"), experiment + ": headline metric once");
    }

    private static RunInfo step(List<RunInfo> runs, String name) {
        return runs.stream().filter(r -> name.equals(r.tags().get("pipeline.step"))).findFirst()
                .orElseThrow(() -> new AssertionError("no run of step " + name + " in " + runs));
    }

    private static List<Long> steps(RunInfo run, String key) {
        return client.metricHistory(run.runId(), key).stream().map(MetricPoint::step).sorted().toList();
    }

    /** SHA-256 of every committed output file (manifests aside: they hold times and run ids), by path. */
    private static Map<String, String> outputDigests(Path runs) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        Path steps = runs.resolve("steps");
        try (Stream<Path> files = Files.walk(steps)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("manifest.json")) {
                    digests.put(steps.relativize(f).toString(), Digests.sha256(f));
                }
            }
        }
        return digests;
    }

    /** Whether MIDDLE_JOURNAL_LINE found a delivered metric line to damage (it leaves a line of NUL characters). */
    private static boolean middleLineWasDamaged(Path runs) throws IOException {
        try (Stream<Path> all = Files.walk(runs.resolve("outbox"))) {
            for (Path f : all.filter(p -> p.getFileName().toString().startsWith("journal.jsonl")).toList()) {
                if (Files.readString(f).contains("\u0000\u0000\u0000\u0000")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What is damaged after a kill, besides the kill itself; absent files are left alone. */
    private enum Damage {
        NONE {
            @Override void apply(Path runs) { }
        },
        /** One byte of a tensor of the newest checkpoint flipped: the previous checkpoint must be used. */
        NEWEST_CHECKPOINT {
            @Override void apply(Path runs) throws IOException {
                Optional<Path> newest = find(runs.resolve("work"), p -> p.getFileName().toString().startsWith("ckpt-"))
                        .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(5))));
                if (newest.isPresent()) {
                    Optional<Path> tensor = find(newest.get(), p -> p.toString().endsWith(".npy")).findFirst();
                    if (tensor.isPresent()) {
                        byte[] bytes = Files.readAllBytes(tensor.get());
                        bytes[bytes.length - 1] ^= 0x5a;
                        Files.write(tensor.get(), bytes);
                    }
                }
            }
        },
        /** The attempts counter emptied (a torn write of old): it must be rebuilt, not jam. */
        ATTEMPTS {
            @Override void apply(Path runs) throws IOException {
                for (Path f : find(runs.resolve("work"), p -> p.getFileName().toString().equals("attempts")).toList()) {
                    Files.write(f, new byte[0]);
                }
            }
        },
        /** The outbox state overwritten with garbage: quarantined, delivery rebuilt without doubles. */
        OUTBOX_STATE {
            @Override void apply(Path runs) throws IOException {
                for (Path f : find(runs.resolve("outbox"), p -> p.getFileName().toString().equals("state.json")).toList()) {
                    Files.writeString(f, "{\"done\": 2, \"runs\": {");
                }
            }
        },
        /** Half a journal line at the end, as a kill during an append leaves it. */
        TORN_JOURNAL_LINE {
            @Override void apply(Path runs) throws IOException {
                for (Path f : find(runs.resolve("outbox"), p -> p.getFileName().toString().equals("journal.jsonl")).toList()) {
                    Files.write(f, "{\"seq\":99999,\"op\":\"metr".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
                }
            }
        },
        /**
         * A delivered metric line in the middle of a journal zeroed (a bad disk): the journal is
         * quarantined and repaired, not a permanent jam, and the resumed step, re-logging points the
         * journal no longer knows, doubles none of them.
         */
        MIDDLE_JOURNAL_LINE {
            @Override void apply(Path runs) throws IOException {
                for (Path f : find(runs.resolve("outbox"), p -> p.getFileName().toString().equals("journal.jsonl")).toList()) {
                    Path state = f.resolveSibling("state.json");
                    if (!Files.exists(state)) {
                        continue;
                    }
                    long done = new ObjectMapper().readTree(state.toFile()).path("done").asLong();
                    String[] lines = Files.readString(f).split("\n", -1); // a torn last line stays torn
                    for (int i = 0; i < Math.min(done, lines.length - 2); i++) {
                        if (lines[i].contains("\"op\":\"metrics\"")) {
                            lines[i] = "\u0000".repeat(lines[i].length());
                            Files.writeString(f, String.join("\n", lines));
                            break;
                        }
                    }
                }
            }
        };

        abstract void apply(Path runs) throws IOException;

        private static Stream<Path> find(Path root, java.util.function.Predicate<Path> match) throws IOException {
            if (!Files.isDirectory(root)) {
                return Stream.empty();
            }
            try (Stream<Path> all = Files.walk(root)) {
                return all.filter(match).toList().stream();
            }
        }
    }
}
