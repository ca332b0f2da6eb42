package org.prunelab.stages.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one epoch loop: runs a family's updates batch by batch from a {@link TrainingPosition} to the
 * last epoch, evaluates after every epoch and hands each event to pluggable {@link TrainingPolicy}s
 * (metrics, checkpoints, early stopping, plateau rule), checkpointing policies last at every
 * position (see {@link TrainingPolicy#savesCheckpoints}). Resume is exact when the family derives
 * every random draw from (epoch, batch), as {@code Seeds} streams do: nothing else carries over.
 */
public final class EpochLoop {
    /** What a family supplies: its updates and its per-epoch evaluation. */
    public interface Steps {
        /** Updates in one epoch. */
        int batches(int epoch);

        /** One update: epoch and batch are 0-based. */
        void update(int epoch, int batch) throws Exception;

        /** Metrics after {@code epoch} (1-based) finished; the row goes into the history. */
        Map<String, Object> evaluate(int epoch) throws Exception;
    }

    private final int epochs;
    private final List<TrainingPolicy> policies;

    public EpochLoop(int epochs, List<TrainingPolicy> policies) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.epochs = epochs;
        // Checkpoints last (a stable sort keeps the rest in the caller's order): an epoch's metrics
        // must reach the metric sink, which journals them before any checkpoint save, before the
        // checkpoint that covers the epoch is written. The other way round, a SIGKILL between the
        // two lost the epoch's points for good: the resumed run starts after that epoch.
        this.policies = policies.stream()
                .sorted(Comparator.comparing(TrainingPolicy::savesCheckpoints))
                .toList();
    }

    /** Runs from {@code from} until the last epoch or until a policy stops; returns the final position. */
    public TrainingPosition run(Steps steps, TrainingPosition from) throws Exception {
        List<Map<String, Object>> history = new ArrayList<>(from.history());
        long updates = from.updates();
        for (int epoch = from.epoch(); epoch < epochs; epoch++) {
            int batches = steps.batches(epoch);
            for (int b = epoch == from.epoch() ? from.batch() : 0; b < batches; b++) {
                steps.update(epoch, b);
                updates++;
                if (b + 1 < batches) {
                    TrainingPosition mid = new TrainingPosition(epoch, b + 1, updates, history);
                    for (TrainingPolicy p : policies) {
                        p.afterUpdate(mid);
                    }
                }
            }
            Map<String, Object> row = steps.evaluate(epoch + 1);
            history.add(row);
            TrainingPosition end = new TrainingPosition(epoch + 1, 0, updates, history);
            boolean stop = false;
            for (TrainingPolicy p : policies) {
                stop |= p.afterEpoch(end, row) == TrainingPolicy.Decision.STOP;
            }
            if (stop) {
                return end;
            }
        }
        return new TrainingPosition(Math.max(epochs, from.epoch()), 0, updates, history);
    }
}
