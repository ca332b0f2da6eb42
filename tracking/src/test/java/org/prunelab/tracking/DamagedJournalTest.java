package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.tracking.mlflow.MlflowTracking;
import org.prunelab.tracking.mlflow.MlflowTrackingClient;
import org.prunelab.tracking.mlflow.TrackingOptions;
import org.prunelab.tracking.outbox.RunSpec;
import org.prunelab.tracking.outbox.TrackingOutbox;

/**
 * An outbox journal damaged in the middle (issue 15: "a damaged piece of bookkeeping is quarantined,
 * never a permanent jam"; before, opening it failed until someone moved the file aside). Each case
 * journals entries of which some are delivered and some not, damages lines, reopens the outbox against
 * the real server and reads back what the server holds: nothing doubled, nothing that an intact line
 * held lost, and the damaged file kept aside.
 */
class DamagedJournalTest {
    @RegisterExtension
    static final ServerExperiment SERVER = new ServerExperiment("damaged-journal", "pipeline.step_key", "step-", "train");
    private static MlflowTrackingClient real;

    @BeforeAll
    static void connect() {
        real = SERVER.client();
    }

    private static RunSpec spec(String key) {
        return SERVER.spec(key);
    }


    /** Journals into {@code box} while the server is unreachable, so the entries stay undelivered. */
    private static void offline(Path box, Consumer<TrackingOutbox> work) throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (MlflowTrackingClient down = MlflowTracking.connect("http://127.0.0.1:" + deadPort,
                TrackingOptions.defaults().withCallTimeout(Duration.ofMillis(300)))) {
            TrackingOutbox outbox = TrackingOutbox.open(down, box);
            work.accept(outbox);
            outbox.close(Duration.ofMillis(200));
        }
    }

    /** Replaces journal line {@code lineNo} (from 1) with {@code garbage}. */
    private static void damageLine(Path box, int lineNo, String garbage) throws Exception {
        Path journal = box.resolve("journal.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal, StandardCharsets.UTF_8));
        lines.set(lineNo - 1, garbage);
        Files.writeString(journal, String.join("\n", lines) + "\n");
    }

    private static List<String> damagedCopies(Path box) throws Exception {
        try (var files = Files.list(box)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("journal.jsonl.damaged-"))
                    .filter(n -> !n.endsWith(".blobs")).toList();
        }
    }

    private static String runIdOf(String key) {
        List<RunInfo> runs = SERVER.runsWithKey(key);
        assertEquals(1, runs.size(), "one run per key: " + runs);
        return runs.get(0).runId();
    }

    private static List<Long> steps(String runId) {
        return real.metricHistory(runId, "loss").stream().map(MetricPoint::step).sorted().toList();
    }

    /**
     * A delivered metric batch and an undelivered tags entry damaged in the middle: the outbox opens,
     * delivers every intact entry, and a resumed stage re-logging all its epochs adds none twice,
     * although the journal no longer knows the delivered batch's points.
     */
    @Test
    void aJournalDamagedInTheMiddleIsRepairedAndNothingIsDoubled(@TempDir Path tmp) throws Exception {
        String key = RealServer.unique("middle");
        Path box = tmp.resolve("outbox");
        try (TrackingOutbox first = TrackingOutbox.open(real, box)) {
            String ref = first.ensureRun(spec(key));      // seq 0
            first.logParams(ref, Map.of("lr", "0.1"));    // seq 1
            first.logMetrics(ref, ServerExperiment.lossEpochs(1, 2));          // seq 2
            first.logMetrics(ref, ServerExperiment.lossEpochs(3, 4));          // seq 3
            assertEquals(0, first.flush().pending());
        }
        offline(box, outbox -> {
            String ref = TrackingOutbox.localRef("step-" + key);
            outbox.logMetrics(ref, ServerExperiment.lossEpochs(5, 6));          // seq 4
            outbox.setTags(ref, Map.of("lost", "yes"));    // seq 5
            outbox.logMetrics(ref, ServerExperiment.lossEpochs(7, 8));          // seq 6
        });
        damageLine(box, 3, "{\"seq\":2,\"op\":\"metr\u0000\u0000\u0000");  // delivered
        damageLine(box, 6, "");                                            // not delivered

        try (TrackingOutbox second = TrackingOutbox.open(real, box)) { // before: IOException, a permanent jam
            String ref = second.ensureRun(spec(key));
            assertEquals(2, second.logMetrics(ref, ServerExperiment.lossEpochs(1, 8)), "only the lost line's points are journaled again");
            second.setStatus(ref, RunStatus.FINISHED);
            assertEquals(0, second.flush().pending(), String.valueOf(second.lastError()));
            assertEquals(0, second.deadLetters().size(), second.deadLetters().toString());
        }
        assertEquals(1, damagedCopies(box).size(), "the damaged journal is kept aside: " + damagedCopies(box));
        String runId = runIdOf(key);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps(runId), "each epoch exactly once");
        RunInfo run = real.getRun(runId);
        assertEquals(RunStatus.FINISHED, run.status());
        assertEquals("0.1", run.params().get("lr"));
        assertFalse(run.tags().containsKey("lost"), "a lost entry is not invented");
        try (TrackingOutbox third = TrackingOutbox.open(real, box)) {
            assertEquals(0, third.pending(), "the repaired journal is good: a third open has nothing left to do");
        }
        assertEquals(1, damagedCopies(box).size(), "the repaired journal is not quarantined again");
    }

    /**
     * A lost run creation: the other run's entries are delivered, the orphaned run's entries go to the
     * dead-letter file with a reason naming the damage, and a lost artifact entry's private copy is
     * kept next to the damaged journal rather than deleted.
     */
    @Test
    void aLostRunCreationDeadLettersItsEntriesAndKeepsItsArtifactCopy(@TempDir Path tmp) throws Exception {
        String lostKey = RealServer.unique("lost");
        String keptKey = RealServer.unique("kept");
        Path box = tmp.resolve("outbox");
        Path artifact = Files.writeString(tmp.resolve("notes.txt"), "artifact body");
        offline(box, outbox -> {
            String lost = outbox.ensureRun(spec(lostKey));    // seq 0: damaged below
            String kept = outbox.ensureRun(spec(keptKey));    // seq 1
            outbox.logMetrics(lost, ServerExperiment.lossEpochs(1, 3));            // seq 2: dead-lettered
            outbox.uploadArtifact(kept, artifact, "docs");    // seq 3: damaged below
            outbox.logMetrics(kept, ServerExperiment.lossEpochs(1, 3));            // seq 4
            outbox.setStatus(kept, RunStatus.FINISHED);       // seq 5
        });
        damageLine(box, 1, "\u0000\u0000\u0000\u0000");
        damageLine(box, 4, "{\"seq\":3,\"op\":\"artifact\",\"runId\":");

        try (TrackingOutbox second = TrackingOutbox.open(real, box)) {
            assertEquals(0, second.flush().pending(), String.valueOf(second.lastError()));
            List<JsonNode> dead = second.deadLetters();
            assertEquals(1, dead.size(), dead.toString());
            assertEquals(2, dead.get(0).path("seq").asLong());
            assertTrue(dead.get(0).path("reason").asText().contains("lost with a damaged line of the outbox journal"),
                    dead.toString());
        }
        String keptRun = runIdOf(keptKey);
        assertEquals(List.of(1L, 2L, 3L), steps(keptRun));
        assertEquals(RunStatus.FINISHED, real.getRun(keptRun).status());
        String copy = damagedCopies(box).get(0);
        assertEquals("artifact body", Files.readString(box.resolve(copy + ".blobs/3/notes.txt")),
                "the lost artifact entry's private copy is kept with the damaged journal");
        List<RunInfo> lostRuns = SERVER.runsWithKey(lostKey);
        assertEquals(List.of(), lostRuns, "no run is made up for a lost creation");
    }

    /**
     * The journal's last lines lost after they were delivered (state.json counts more entries than
     * the journal holds): new entries must not take the lost numbers, which count as done and were
     * never sent before.
     */
    @Test
    void newEntriesAfterLostDeliveredLastLinesAreSentOnce(@TempDir Path tmp) throws Exception {
        String key = RealServer.unique("tail");
        Path box = tmp.resolve("outbox");
        try (TrackingOutbox first = TrackingOutbox.open(real, box)) {
            String ref = first.ensureRun(spec(key));
            first.logMetrics(ref, ServerExperiment.lossEpochs(1, 2));
            first.logMetrics(ref, ServerExperiment.lossEpochs(3, 4));
            first.logMetrics(ref, ServerExperiment.lossEpochs(5, 6));
            assertEquals(0, first.flush().pending());
        }
        Path journal = box.resolve("journal.jsonl");
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        Files.writeString(journal, String.join("\n", lines.subList(0, 2)) + "\n"); // the last two lines are gone

        try (TrackingOutbox second = TrackingOutbox.open(real, box)) {
            String ref = second.ensureRun(spec(key));
            assertEquals(6, second.logMetrics(ref, ServerExperiment.lossEpochs(3, 8)), "the journal no longer knows steps 3 to 6");
            second.setStatus(ref, RunStatus.FINISHED);
            assertEquals(0, second.flush().pending(), String.valueOf(second.lastError()));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps(runIdOf(key)), "7 and 8 sent, 3 to 6 not twice");
        assertEquals(RunStatus.FINISHED, real.getRun(runIdOf(key)).status());
    }
}
