package org.prunelab.pipeline.executor.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.pipeline.store.StepStore;
import org.prunelab.pipeline.track.PipelineTracking;

/** The worker side on its own: requests in, reply lines out; a bad request is answered, never fatal. */
class WorkerLoopTest {
    @TempDir
    Path work;

    private static Map<String, Object> toyPoint() {
        Map<String, Object> flat = new TreeMap<>();
        flat.put("experiment", "worker-loop");
        flat.put("pipeline", "linreg");
        flat.put("seed", 3);
        flat.put("linreg.epochs", 2);
        return flat;
    }

    private static WorkerMessages.ChainRequest request(int chain, List<String> steps, List<String> expect) {
        return new WorkerMessages.ChainRequest(chain, 0, null, "test point", toyPoint(), steps, expect,
                new WorkerMessages.SweepRun("0123456789abcdef", "worker-loop", "sweep of test", Map.of()));
    }

    private List<WorkerMessages.ChainReply> serve(String input) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new WorkerLoop(new StepStore(work.resolve("runs")), PipelineTracking.disabled(), out)
                .serve(new BufferedReader(new StringReader(input)));
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(WorkerMessages.REPLY_PREFIX))
                .map(l -> WorkerMessages.parse(l.substring(WorkerMessages.REPLY_PREFIX.length()),
                        WorkerMessages.ChainReply.class))
                .toList();
    }

    @Test
    void runsTheRequestedStepsAndAnswersEachRequestOnce() throws Exception {
        String all = WorkerMessages.line(request(7, List.of("load-data", "init", "train", "evaluate"), List.of()));
        List<WorkerMessages.ChainReply> replies = serve("\n" + all + "\n");
        assertEquals(List.of(new WorkerMessages.ChainReply(7, true, false, null)), replies);
        assertTrue(Files.isDirectory(work.resolve("runs/steps/linreg.evaluate")));
    }

    @Test
    void refusesAChainWhoseIdentityDiffersFromTheSweepsAndKeepsServing() throws Exception {
        String wrong = WorkerMessages.line(request(1, List.of("load-data"), List.of("ffffffffffffffff")));
        String right = WorkerMessages.line(request(2, List.of("load-data"), List.of()));
        List<WorkerMessages.ChainReply> replies = serve("not json\n" + wrong + "\n" + right + "\n");
        assertEquals(3, replies.size(), replies.toString());
        assertFalse(replies.get(0).ok());
        assertTrue(replies.get(0).error().startsWith("unreadable request"), replies.get(0).error());
        assertFalse(replies.get(1).ok());
        assertTrue(replies.get(1).error().contains("has identity") && replies.get(1).error().contains("nothing was run"),
                replies.get(1).error());
        assertTrue(replies.get(2).ok(), replies.get(2).toString());
        try (var dirs = Files.list(work.resolve("runs/steps/linreg.data"))) {
            assertEquals(1, dirs.count(), "the refused request committed nothing");
        }
    }
}
