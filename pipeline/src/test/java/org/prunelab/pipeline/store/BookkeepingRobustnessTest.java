package org.prunelab.pipeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.TinyConfigs;
import org.prunelab.pipeline.TinyCsvData;

/**
 * Issue 15, findings 4, 5 and 9, through the CLI on a tiny CSV pipeline (no tracking): committed
 * outputs are verified by digest before reuse, bookkeeping files never jam a run, temp files never
 * reach a committed directory, failed work is reported and collected, JSON outputs are canonical.
 */
class BookkeepingRobustnessTest {
    @TempDir
    Path work;

    private Path runs() {
        return work.resolve("runs");
    }

    private TinyConfigs.Outcome cli(String command, Path config, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        if (config != null) {
            args.add(config.toString());
        }
        args.addAll(List.of("--runs-dir", runs().toString(), "--no-tracking"));
        args.addAll(List.of(extra));
        return TinyConfigs.cli(args.toArray(String[]::new));
    }

    private Path setUp() throws Exception {
        Path data = TinyCsvData.writeDir(work.resolve("data"));
        return TinyCsvData.config(work.resolve("tiny.yaml"), data);
    }

    private Path committed(String kind) throws Exception {
        try (Stream<Path> dirs = Files.list(runs().resolve("steps").resolve(kind))) {
            return dirs.filter(Files::isDirectory).filter(d -> !isQuarantined(d)).findFirst().orElseThrow();
        }
    }

    /** The temp names of prunelab's atomic writers (spelled out here so the test also runs on old code). */
    private static boolean isTemp(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && (name.endsWith(".tmp") || name.startsWith(".tmp-"));
    }

    private static boolean isQuarantined(Path p) {
        return p.getFileName().toString().contains(".damaged-");
    }

    private static void flipOneBit(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() - 5;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    private static List<Path> tempFilesUnder(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(BookkeepingRobustnessTest::isTemp).toList();
        }
    }

    /** Finding 4: a bit-flipped weights.npy was reused with "nothing to do". */
    @Test
    void bitFlippedCommittedOutputIsNotReusedAndVerifyNamesIt() throws Exception {
        Path config = setUp();
        TinyConfigs.Outcome first = cli("run", config);
        assertEquals(0, first.code(), first.output());
        TinyConfigs.Outcome again = cli("run", config);
        assertTrue(again.output().contains("nothing to do"), again.output());

        Path weights = committed("rbm.train").resolve("weights.npy");
        assertTrue(Files.isRegularFile(weights), "the train step writes weights.npy");
        flipOneBit(weights);

        TinyConfigs.Outcome damaged = cli("run", config);
        assertEquals(1, damaged.code(), damaged.output());
        assertTrue(damaged.output().contains(weights.toString()) && damaged.output().contains("SHA-256")
                && damaged.output().contains("prunelab verify"), damaged.output());
        assertFalse(damaged.output().contains("nothing to do"), damaged.output());

        TinyConfigs.Outcome verify = cli("verify", null);
        assertEquals(1, verify.code(), verify.output());
        assertTrue(verify.output().contains("DAMAGED " + weights.getParent())
                && verify.output().contains("weights.npy: content does not match"), verify.output());

        TinyConfigs.Outcome quarantine = cli("verify", null, "--quarantine");
        assertEquals(1, quarantine.code(), quarantine.output());
        assertTrue(quarantine.output().contains("moved aside"), quarantine.output());
        TinyConfigs.Outcome recomputed = cli("run", config);
        assertEquals(0, recomputed.code(), recomputed.output());
        assertTrue(recomputed.output().contains("train") && recomputed.output().contains("done"), recomputed.output());
        TinyConfigs.Outcome clean = cli("verify", null);
        assertEquals(0, clean.code(), clean.output());
        assertTrue(clean.output().contains("all intact"), clean.output());
    }

    /** The short identity `explain` prints for a step (the name of its work directory). */
    private String shortId(Path config, String step) {
        TinyConfigs.Outcome explain = cli("explain", config);
        assertEquals(0, explain.code(), explain.output());
        for (String line : explain.output().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].equals(step)) {
                return words[2];
            }
        }
        throw new AssertionError("no step " + step + " in: " + explain.output());
    }

    /** Finding 5: an empty attempts file made every re-run fail with NumberFormatException. */
    @Test
    void emptyAttemptsFileIsQuarantinedAndTheRunGoesOn() throws Exception {
        Path config = setUp();
        Path workDir = runs().resolve("work").resolve(shortId(config, "load-data"));
        Files.createDirectories(workDir);
        Files.write(workDir.resolve("attempts"), new byte[0]); // what a kill during the old non-atomic write left

        TinyConfigs.Outcome run = cli("run", config);
        assertEquals(0, run.code(), run.output());
        assertFalse(run.output().contains("NumberFormatException"), run.output());
        assertTrue(run.output().contains("attempts was damaged (empty)"), run.output());
        JsonNode manifest = Json.MAPPER.readTree(committed("data.load").resolve("manifest.json").toFile());
        assertEquals(1, manifest.get("attempts").asInt());
    }

    /** Finding 5: torn .tmp files travelled from the work directory into the committed one. */
    @Test
    void tornTempFilesNeverReachACommittedDirectory() throws Exception {
        Path config = setUp();
        Path out = runs().resolve("work").resolve(shortId(config, "load-data")).resolve("out");
        Files.createDirectories(out.resolve(".tmp-ckpt-000000000000001-99"));
        Files.writeString(out.resolve(".dataset.json.1234.tmp"), "{\"torn"); // left by a kill mid-write

        TinyConfigs.Outcome run = cli("run", config);
        assertEquals(0, run.code(), run.output());
        assertTrue(Files.isRegularFile(committed("data.load").resolve("dataset.json")));
        assertEquals(List.of(), tempFilesUnder(runs().resolve("steps")));
    }

    /** Finding 5: failed steps' work directories were never reported or cleaned up. */
    @Test
    void failedWorkIsReportedByStatusAndRemovedByGc() throws Exception {
        Path data = TinyCsvData.writeDir(work.resolve("data"));
        Path config = TinyCsvData.config(work.resolve("tiny.yaml"), data);
        Files.writeString(data.resolve("train.csv"), "1,2,3\n");
        TinyConfigs.Outcome failed = cli("run", config);
        assertEquals(1, failed.code(), failed.output());
        Path workDir;
        try (Stream<Path> dirs = Files.list(runs().resolve("work"))) {
            workDir = dirs.findFirst().orElseThrow();
        }
        // A stale one too: checkpoints no plan of this runs directory refers to.
        Path stale = runs().resolve("work").resolve("0123456789abcdef");
        Files.createDirectories(stale.resolve("checkpoints").resolve("ckpt-000000000000001"));

        TinyConfigs.Outcome status = cli("status", config);
        assertEquals(0, status.code(), status.output());
        assertTrue(status.output().contains("failed step work dir " + workDir)
                && status.output().contains("wrong column count")
                && status.output().contains("2 work dir(s)") && status.output().contains("prunelab gc"), status.output());

        TinyConfigs.Outcome dry = cli("gc", null, "--dry-run");
        assertEquals(0, dry.code(), dry.output());
        assertTrue(dry.output().contains("would remove") && dry.output().contains("failed")
                && dry.output().contains("unreferenced"), dry.output());
        assertTrue(Files.isDirectory(workDir) && Files.isDirectory(stale), "a dry run removes nothing");

        TinyConfigs.Outcome gc = cli("gc", null);
        assertEquals(0, gc.code(), gc.output());
        assertFalse(Files.exists(workDir), gc.output());
        assertFalse(Files.exists(stale), gc.output());
        assertTrue(gc.output().contains("removed 2 item(s)"), gc.output());
    }

    /** Finding 5: a damaged sweep ledger is moved aside and rebuilt, never a permanent jam. */
    @Test
    void damagedSweepLedgerIsRebuilt() throws Exception {
        Path data = TinyCsvData.writeDir(work.resolve("data"));
        Path config = TinyCsvData.config(work.resolve("grid.yaml"), data, "train.learning_rate: [0.05, 0.1]");
        TinyConfigs.Outcome first = cli("sweep", config);
        assertEquals(0, first.code(), first.output());
        Path ledger;
        try (Stream<Path> files = Files.list(runs().resolve("sweeps"))) {
            ledger = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(ledger, "{\"sweepId\": \"x\", \"points\": [");
        TinyConfigs.Outcome again = cli("sweep", config);
        assertEquals(0, again.code(), again.output());
        try (Stream<Path> files = Files.list(runs().resolve("sweeps"))) {
            assertTrue(files.anyMatch(BookkeepingRobustnessTest::isQuarantined), "the damaged ledger is kept aside");
        }
        assertTrue(Files.readString(ledger).contains("DONE"), "a rebuilt ledger records both points as done");
    }

    /** Finding 9: evaluation.json's key order changed between identical runs (Map.of order). */
    @Test
    void jsonOutputsHaveSortedKeysAtEveryLevel() throws Exception {
        Path config = setUp();
        assertEquals(0, cli("run", config).code());
        List<Path> jsonFiles;
        try (Stream<Path> all = Files.walk(runs().resolve("steps"))) {
            jsonFiles = all.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertTrue(jsonFiles.stream().anyMatch(p -> p.endsWith("evaluation.json")), jsonFiles.toString());
        for (Path file : jsonFiles) {
            JsonNode root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            assertSorted(root, file + " $");
        }
    }

    private static void assertSorted(JsonNode node, String where) {
        if (node.isObject()) {
            String previous = null;
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertTrue(previous == null || previous.compareTo(name) < 0,
                        where + ": key '" + name + "' comes after '" + previous + "'");
                previous = name;
                assertSorted(node.get(name), where + "." + name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                assertSorted(node.get(i), where + "[" + i + "]");
            }
        }
    }
}
