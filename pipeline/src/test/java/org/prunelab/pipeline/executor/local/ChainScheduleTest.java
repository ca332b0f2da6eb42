package org.prunelab.pipeline.executor.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.prunelab.pipeline.executor.StepGraph;

/**
 * The pool's bookkeeping on a hand-made graph: a shared training (chain 0, point 0) feeds two
 * points' evaluations (chains 1 and 2); a second training (chain 3, point 2) feeds chain 4.
 */
class ChainScheduleTest {
    private static StepGraph.Chain chain(String step, int point, Integer... dependsOn) {
        StepGraph.Node node = new StepGraph.Node("hash-" + step, "id-" + step, "kind", step, point, List.of());
        return new StepGraph.Chain(List.of(node), point, Set.of(dependsOn));
    }

    private static ChainSchedule schedule() {
        return new ChainSchedule(List.of(chain("train-a", 0), chain("eval-0", 0, 0), chain("eval-1", 1, 0),
                chain("train-b", 2), chain("eval-2", 2, 3)));
    }

    @Test
    void aChainWaitsForItsInputsAndNeverRunsBesideAnotherChainOfItsPoint() {
        ChainSchedule s = schedule();
        assertEquals(0, s.next());
        s.started(0);
        assertEquals(3, s.next(), "chains 1 and 2 wait for the training; chain 3 needs nothing");
        s.started(3);
        assertEquals(-1, s.next(), "chain 4 waits for chain 3, which is running");
        s.done(0);
        assertEquals(1, s.next());
        s.started(1);
        assertEquals(2, s.next());
        s.started(2);
        s.done(3);
        assertEquals(4, s.next(), "its input done and no other chain of point 2 running");
    }

    @Test
    void twoChainsOfOnePointNeverRunAtOnce() {
        // chain 1 (point 0) is ready once chain 0 is done; a second independent chain of point 0 must wait for it
        ChainSchedule s = new ChainSchedule(List.of(chain("classifier", 0), chain("train", 0)));
        assertEquals(0, s.next());
        s.started(0);
        assertEquals(-1, s.next(), "the other chain of point 0 waits although it has no input");
        s.done(0);
        assertEquals(1, s.next());
    }

    @Test
    void aFailureTakesItsDependantsWithItAndNamesTheStep() {
        ChainSchedule s = schedule();
        s.started(0);
        s.started(3);
        s.failed(0, "step 'train' failed: diverged");
        assertEquals(ChainSchedule.State.NOT_RUN, s.state(1));
        assertEquals(ChainSchedule.State.NOT_RUN, s.state(2));
        assertEquals(ChainSchedule.State.RUNNING, s.state(3), "an independent chain goes on");
        s.done(3);
        assertEquals(4, s.next());
        s.started(4);
        s.done(4);
        assertEquals(-1, s.next());
        assertFalse(s.anyRunning());
        Map<String, String> failures = s.failures();
        assertEquals(Set.of("hash-train-a", "hash-eval-0", "hash-eval-1"), failures.keySet());
        assertEquals("step 'train' failed: diverged", failures.get("hash-train-a"));
        assertEquals("not run: its input step 'train-a' (id-train-a) failed: step 'train' failed: diverged",
                failures.get("hash-eval-1"));
    }

    @Test
    void aChainLeftToAnotherProcessLeavesItsDependantsWithoutAFailure() {
        ChainSchedule s = schedule();
        s.started(0);
        s.leftToOtherProcess(0);
        assertEquals(ChainSchedule.State.NOT_RUN, s.state(1));
        assertEquals(ChainSchedule.State.NOT_RUN, s.state(2));
        assertTrue(s.failures().isEmpty(), "the sweep's walk decides what becomes of them: " + s.failures());
        assertEquals(3, s.next());
    }

    @Test
    void aChainIsStartedAndFinishedOnceOnly() {
        ChainSchedule s = schedule();
        assertThrows(IllegalStateException.class, () -> s.done(0), "not started");
        s.started(0);
        assertThrows(IllegalStateException.class, () -> s.started(0));
        s.done(0);
        assertThrows(IllegalStateException.class, () -> s.failed(0, "late"));
    }
}
