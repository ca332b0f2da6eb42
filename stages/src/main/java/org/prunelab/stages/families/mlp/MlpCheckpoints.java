package org.prunelab.stages.families.mlp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.stages.io.Checkpoint;

/** Model and optimiser state as checkpoint tensors, and back. */
public final class MlpCheckpoints {
    private MlpCheckpoints() {
    }

    public static Map<String, Checkpoint.Tensor> tensors(MlpTrainer.State s) {
        Mlp m = s.mlp;
        Map<String, Checkpoint.Tensor> t = new LinkedHashMap<>();
        for (int l = 0; l < m.layers(); l++) {
            int out = m.out(l), in = m.in(l);
            t.put("w" + l, Checkpoint.Tensor.of(m.w[l].clone(), out, in));
            t.put("b" + l, Checkpoint.Tensor.of(m.b[l].clone(), out));
            t.put("mask" + l, Checkpoint.Tensor.of(m.mask[l].clone(), out, in));
            t.put("m1w" + l, Checkpoint.Tensor.of(s.m1w[l].clone(), out, in));
            t.put("m1b" + l, Checkpoint.Tensor.of(s.m1b[l].clone(), out));
            t.put("m2w" + l, Checkpoint.Tensor.of(s.m2w[l].clone(), out, in));
            t.put("m2b" + l, Checkpoint.Tensor.of(s.m2b[l].clone(), out));
        }
        return t;
    }

    /** The state saved by {@link #tensors}; {@code adamStep} comes from the checkpoint's JSON state. */
    public static MlpTrainer.State restore(int[] sizes, Checkpoint c, long adamStep) {
        int layers = sizes.length - 1;
        double[][] w = new double[layers][], b = new double[layers][];
        double[][] m1w = new double[layers][], m1b = new double[layers][], m2w = new double[layers][],
                m2b = new double[layers][];
        byte[][] mask = new byte[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = c.doubles("w" + l);
            b[l] = c.doubles("b" + l);
            mask[l] = c.bytes("mask" + l);
            m1w[l] = c.doubles("m1w" + l);
            m1b[l] = c.doubles("m1b" + l);
            m2w[l] = c.doubles("m2w" + l);
            m2b[l] = c.doubles("m2b" + l);
        }
        return new MlpTrainer.State(new Mlp(sizes, w, b, mask), m1w, m1b, m2w, m2b, adamStep);
    }

    public static int integer(Checkpoint c, String key) {
        return ((Number) c.state().get(key)).intValue();
    }

    public static long longValue(Checkpoint c, String key) {
        return ((Number) c.state().get(key)).longValue();
    }

    public static double real(Checkpoint c, String key) {
        return ((Number) c.state().get(key)).doubleValue();
    }
}
