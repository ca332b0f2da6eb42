package org.prunelab.stages.families.rbm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Npy;

/**
 * An RBM on disk, as numpy-readable tensors: {@code weights.npy} (nv x nh, float64),
 * {@code visible_bias.npy}, {@code hidden_bias.npy}, {@code mask.npy} (nv x nh, uint8) and a small
 * {@code model.json}; optionally the persistent chains ({@code chains.npy}).
 */
public final class RbmFiles {
    public static final String WEIGHTS = "weights.npy";
    public static final String VISIBLE_BIAS = "visible_bias.npy";
    public static final String HIDDEN_BIAS = "hidden_bias.npy";
    public static final String MASK = "mask.npy";
    public static final String MODEL = "model.json";
    public static final String CHAINS = "chains.npy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RbmFiles() {
    }

    public static void write(Rbm rbm, Path dir) throws IOException {
        Files.createDirectories(dir);
        Npy.writeDoubles(dir.resolve(WEIGHTS), rbm.w, rbm.nv, rbm.nh);
        Npy.writeDoubles(dir.resolve(VISIBLE_BIAS), rbm.a, rbm.nv);
        Npy.writeDoubles(dir.resolve(HIDDEN_BIAS), rbm.b, rbm.nh);
        Npy.writeBytes(dir.resolve(MASK), rbm.mask, rbm.nv, rbm.nh);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "rbm");
        model.put("visible", rbm.nv);
        model.put("hidden", rbm.nh);
        model.put("connections", rbm.connections());
        model.put("sparsity", rbm.sparsity());
        AtomicFiles.writeBytes(dir.resolve(MODEL), org.prunelab.stages.io.CanonicalJson.PRETTY.writeValueAsBytes(model));
    }

    public static Rbm read(Path dir) throws IOException {
        Npy.Array w = Npy.read(dir.resolve(WEIGHTS));
        if (w.shape().length != 2 || w.doubles() == null) {
            throw new IOException(dir.resolve(WEIGHTS) + ": expected a 2-d float64 array");
        }
        int nv = w.shape()[0];
        int nh = w.shape()[1];
        return new Rbm(nv, nh, w.doubles(), Npy.readDoubles(dir.resolve(VISIBLE_BIAS)),
                Npy.readDoubles(dir.resolve(HIDDEN_BIAS)), Npy.readBytes(dir.resolve(MASK)));
    }

    /** Persistent chains saved by a training step, if any (for the "keep" chain policy). */
    public static double[] readChains(Path dir) throws IOException {
        Path file = dir.resolve(CHAINS);
        return Files.exists(file) ? Npy.readDoubles(file) : null;
    }

    public static void writeChains(double[] chains, int nv, Path dir) throws IOException {
        Npy.writeDoubles(dir.resolve(CHAINS), chains, chains.length / nv, nv);
    }
}
