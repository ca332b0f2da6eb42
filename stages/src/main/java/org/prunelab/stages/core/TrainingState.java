package org.prunelab.stages.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.prunelab.stages.io.Checkpoint;

/**
 * The tensors a training must save to resume exactly (parameters, masks, optimiser moments,
 * persistent chains), registered once by name on the live arrays. Saving copies them into a
 * {@link Checkpoint}; restoring copies a checkpoint's tensors back into the same arrays, checking
 * every name and length. This replaces hand-built tensor maps: a family declares its state, the
 * loop saves and restores it.
 */
public final class TrainingState {
    private final Map<String, Checkpoint.Tensor> live = new LinkedHashMap<>();

    /** Registers a double tensor (the live array, not a copy). */
    public TrainingState add(String name, double[] values, int... shape) {
        put(name, Checkpoint.Tensor.of(values, shape));
        return this;
    }

    /** Registers a byte tensor such as a mask (the live array, not a copy). */
    public TrainingState add(String name, byte[] values, int... shape) {
        put(name, Checkpoint.Tensor.of(values, shape));
        return this;
    }

    /** Registers every group's weights and mask as {@code <name>.w} and {@code <name>.mask}. */
    public TrainingState add(MaskedGroup group) {
        add(group.name() + ".w", group.weights(), group.rows(), group.cols());
        return add(group.name() + ".mask", group.mask(), group.rows(), group.cols());
    }

    private void put(String name, Checkpoint.Tensor tensor) {
        if (live.putIfAbsent(name, tensor) != null) {
            throw new IllegalArgumentException("training state already has a tensor '" + name + "'");
        }
    }

    /** A checkpoint holding copies of every tensor, the position and the caller's extra state. */
    public Checkpoint checkpoint(long position, TrainingPosition at, Map<String, Object> extra) {
        Map<String, Checkpoint.Tensor> copies = new LinkedHashMap<>();
        for (Map.Entry<String, Checkpoint.Tensor> e : live.entrySet()) {
            Checkpoint.Tensor t = e.getValue();
            copies.put(e.getKey(), t.doubles() != null ? Checkpoint.Tensor.of(t.doubles().clone(), t.shape())
                    : Checkpoint.Tensor.of(t.bytes().clone(), t.shape()));
        }
        Map<String, Object> state = new LinkedHashMap<>(extra);
        state.putAll(at.asState());
        return new Checkpoint(position, copies, state);
    }

    /** Checkpoints of this state with the caller's extra state as it is when each is taken. */
    public CheckpointPolicy.Snapshot snapshot(Supplier<Map<String, Object>> extra) {
        return (position, at) -> checkpoint(position, at, extra.get());
    }

    /** Copies the checkpoint's tensors into the live arrays; returns where the training stood. */
    public TrainingPosition restore(Checkpoint c) {
        for (Map.Entry<String, Checkpoint.Tensor> e : live.entrySet()) {
            String name = e.getKey();
            Checkpoint.Tensor target = e.getValue();
            if (target.doubles() != null) {
                copy(name, c.doubles(name), target.doubles());
            } else {
                byte[] saved = c.bytes(name);
                checkLength(name, saved.length, target.bytes().length);
                System.arraycopy(saved, 0, target.bytes(), 0, saved.length);
            }
        }
        return TrainingPosition.fromState(c.state());
    }

    private static void copy(String name, double[] saved, double[] target) {
        checkLength(name, saved.length, target.length);
        System.arraycopy(saved, 0, target, 0, saved.length);
    }

    private static void checkLength(String name, int saved, int expected) {
        if (saved != expected) {
            throw new IllegalStateException("checkpoint tensor '" + name + "' has " + saved + " entries, the model needs "
                    + expected);
        }
    }
}
