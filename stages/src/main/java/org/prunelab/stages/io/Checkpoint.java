package org.prunelab.stages.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One snapshot of a stage in progress: named tensors plus a small JSON-able state (counters,
 * metric history, schedule position). {@code position} orders checkpoints (e.g. updates done).
 */
public final class Checkpoint {
    private final long position;
    private final Map<String, Tensor> tensors;
    private final Map<String, Object> state;

    /** A tensor: either doubles or bytes, with a shape. */
    public record Tensor(int[] shape, double[] doubles, byte[] bytes) {
        public static Tensor of(double[] data, int... shape) {
            return new Tensor(shape, data, null);
        }

        public static Tensor of(byte[] data, int... shape) {
            return new Tensor(shape, null, data);
        }
    }

    public Checkpoint(long position, Map<String, Tensor> tensors, Map<String, Object> state) {
        this.position = position;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    public long position() {
        return position;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Map<String, Object> state() {
        return state;
    }

    public double[] doubles(String name) {
        Tensor t = tensors.get(name);
        if (t == null || t.doubles() == null) {
            throw new IllegalStateException("checkpoint has no double tensor '" + name + "'");
        }
        return t.doubles();
    }

    public byte[] bytes(String name) {
        Tensor t = tensors.get(name);
        if (t == null || t.bytes() == null) {
            throw new IllegalStateException("checkpoint has no byte tensor '" + name + "'");
        }
        return t.bytes();
    }
}
