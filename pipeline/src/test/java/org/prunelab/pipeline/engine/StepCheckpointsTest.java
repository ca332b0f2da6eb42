package org.prunelab.pipeline.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.io.Checkpoint;
import org.prunelab.stages.io.CheckpointStore;

class StepCheckpointsTest {
    /** Records the order of events: metric flushes and checkpoint saves. */
    private final List<String> events = new ArrayList<>();

    private final CheckpointStore inner = new CheckpointStore() {
        @Override
        public Optional<Checkpoint> latest() {
            return Optional.empty();
        }

        @Override
        public void save(Checkpoint checkpoint) {
            events.add("save " + checkpoint.position());
        }

        @Override
        public boolean due(long position) {
            return position % 10 == 0;
        }
    };

    @Test
    void metricsAreHandedToTrackingBeforeEveryCheckpoint() throws Exception {
        StepCheckpoints store = new StepCheckpoints(inner, () -> events.add("flush"));
        store.save(new Checkpoint(10, Map.of(), Map.of()));
        store.save(new Checkpoint(20, Map.of(), Map.of()));
        assertEquals(List.of("flush", "save 10", "flush", "save 20"), events);
    }

    @Test
    void aRequestMakesTheNextPollDueAndWaitsForTheSave() throws Exception {
        StepCheckpoints store = new StepCheckpoints(inner, () -> { });
        assertFalse(store.due(3), "the store's own policy");
        CompletableFuture<Boolean> request = CompletableFuture.supplyAsync(
                () -> store.requestAndAwait(Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.due(3)) { // the stage's next poll
            assertTrue(System.nanoTime() < deadline, "the request never made a checkpoint due");
            Thread.sleep(5);
        }
        assertFalse(request.isDone(), "waits for the save itself");
        store.save(new Checkpoint(3, Map.of(), Map.of()));
        assertTrue(request.get());
        assertFalse(store.due(4), "one request, one extra checkpoint");
    }

    @Test
    void aRequestNobodyAnswersGivesUpAfterTheLimit() {
        StepCheckpoints store = new StepCheckpoints(inner, () -> { });
        assertFalse(store.requestAndAwait(Duration.ofMillis(50)));
    }
}
