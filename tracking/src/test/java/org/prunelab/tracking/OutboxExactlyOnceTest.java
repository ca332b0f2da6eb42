package org.prunelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Exactly-once metric points where the journal alone cannot know what the server holds (issue 15):
 * a run found again from a fresh outbox (a fresh runs directory), and an outbox whose state file was
 * damaged. Also: a run created late starts when its work started (issue 14, honest times). All
 * against the real server, read back over the API.
 */
class OutboxExactlyOnceTest {
    @RegisterExtension
    static final ServerExperiment SERVER = new ServerExperiment("exactly-once", "pipeline.step_key", "step-", "train");
    private static MlflowTrackingClient real;

    @BeforeAll
    static void connect() {
        real = SERVER.client();
    }

    private static RunSpec spec(String key) {
        return SERVER.spec(key);
    }


    private static void sleepPastTheMillisecond() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Long> steps(String runId) {
        return real.metricHistory(runId, "loss").stream().map(MetricPoint::step).sorted().toList();
    }

    private static String runIdOf(String key) {
        List<RunInfo> runs = SERVER.runsWithKey(key);
        assertEquals(1, runs.size(), "one run per key: " + runs);
        return runs.get(0).runId();
    }

    /** Finding 2: the same step computed again in a fresh runs directory re-attaches and adds no point twice. */
    @Test
    void aRunFoundByItsTagFromAFreshOutboxGetsNoPointTwice(@TempDir Path tmp) {
        String key = RealServer.unique("fresh");
        try (TrackingOutbox first = TrackingOutbox.open(real, tmp.resolve("runs-1/outbox"))) {
            String ref = first.ensureRun(spec(key));
            first.logMetrics(ref, ServerExperiment.lossEpochs(1, 5));
            first.setStatus(ref, RunStatus.FINISHED);
            assertEquals(0, first.flush().pending());
        }
        sleepPastTheMillisecond();
        try (TrackingOutbox second = TrackingOutbox.open(real, tmp.resolve("runs-2/outbox"))) {
            String ref = second.ensureRun(spec(key));
            second.logMetrics(ref, ServerExperiment.lossEpochs(1, 3));
            second.logMetrics(ref, ServerExperiment.lossEpochs(4, 7)); // two more epochs than the first computation
            second.setStatus(ref, RunStatus.FINISHED);
            assertEquals(0, second.flush().pending());
            assertEquals(0, second.deadLetters().size());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), steps(runIdOf(key)), "each epoch exactly once");
    }

    /** Finding 5 (outbox state): garbage in state.json is quarantined; delivery goes on, nothing doubled or lost. */
    @Test
    void anUnreadableStateFileIsQuarantinedAndNothingIsDoubled(@TempDir Path tmp) throws Exception {
        damagedStateThenResume(tmp, state -> Files.writeString(state, "{\"done\": 3, \"unc"));
    }

    /** A state edited into valid JSON with a wrong count fails its checksum instead of re-sending what was delivered. */
    @Test
    void anEditedStateFileFailsItsChecksumAndNothingIsDoubled(@TempDir Path tmp) throws Exception {
        damagedStateThenResume(tmp, state -> Files.writeString(state,
                Files.readString(state).replaceFirst("\"done\":\\d+", "\"done\":1")));
    }

    private interface Damage {
        void apply(Path stateFile) throws Exception;
    }

    private static void damagedStateThenResume(Path tmp, Damage damage) throws Exception {
        String key = RealServer.unique("state");
        Path box = tmp.resolve("outbox");
        Path artifact = Files.writeString(tmp.resolve("notes.txt"), "artifact body");
        try (TrackingOutbox first = TrackingOutbox.open(real, box)) {
            String ref = first.ensureRun(spec(key));
            first.logParams(ref, Map.of("lr", "0.1"));
            first.logMetrics(ref, ServerExperiment.lossEpochs(1, 4));
            first.uploadArtifact(ref, artifact, "docs");
            assertEquals(0, first.flush().pending());
        }
        Path state = box.resolve("state.json");
        damage.apply(state);

        sleepPastTheMillisecond();
        try (TrackingOutbox second = TrackingOutbox.open(real, box)) { // main: IOException, a permanent jam
            String ref = TrackingOutbox.localRef("step-" + key);
            second.logMetrics(ref, ServerExperiment.lossEpochs(3, 6)); // a resumed stage: 3 and 4 are known to the journal
            second.setStatus(ref, RunStatus.FINISHED);
            assertEquals(0, second.flush().pending(), String.valueOf(second.lastError()));
            assertEquals(0, second.deadLetters().size(), second.deadLetters().toString());
        }
        try (var files = Files.list(box)) {
            List<String> aside = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("state.json.damaged-"))
                    .toList();
            assertEquals(1, aside.size(), "the damaged state is kept aside: " + aside);
        }
        String runId = runIdOf(key);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), steps(runId), "each epoch exactly once");
        assertEquals(RunStatus.FINISHED, real.getRun(runId).status());
        assertEquals("artifact body", new String(real.downloadArtifact(runId, "docs/notes.txt"), StandardCharsets.UTF_8));
        try (TrackingOutbox third = TrackingOutbox.open(real, box)) {
            assertEquals(0, third.pending(), "the rebuilt state is good: a third open has nothing left to do");
        }
    }

    /** Issue 14: a run delivered after an outage starts when its work started, and ends after it started. */
    @Test
    void aRunCreatedAfterAnOutageStartsWhenItWasJournaled(@TempDir Path tmp) throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        String key = RealServer.unique("late");
        Path box = tmp.resolve("outbox");
        long before = System.currentTimeMillis();
        try (MlflowTrackingClient down = MlflowTracking.connect("http://127.0.0.1:" + deadPort,
                TrackingOptions.defaults().withCallTimeout(Duration.ofMillis(300)))) {
            TrackingOutbox offline = TrackingOutbox.open(down, box);
            String ref = offline.ensureRun(spec(key));
            Thread.sleep(300); // the step's work
            offline.setStatus(ref, RunStatus.FINISHED);
            offline.close(Duration.ofMillis(200));
        }
        long afterWork = System.currentTimeMillis();
        Thread.sleep(1200); // the server is back only later
        try (TrackingOutbox online = TrackingOutbox.open(real, box)) {
            assertEquals(0, online.flush().pending());
        }
        RunInfo run = real.getRun(runIdOf(key));
        assertTrue(run.startTime() >= before && run.startTime() <= afterWork,
                "start " + run.startTime() + " within the work [" + before + ", " + afterWork + "], not at delivery");
        assertTrue(run.endTime() - run.startTime() >= 300, "duration of real work: " + (run.endTime() - run.startTime()) + " ms");
    }
}
