package org.prunelab.stages.families.mlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.io.Npy;

/**
 * An MLP on disk, as numpy-readable tensors: per layer l {@code w<l>.npy} (out×in float64, the
 * PyTorch weight layout), {@code b<l>.npy} (out), {@code mask<l>.npy} (out×in uint8), and a
 * {@code model.json} naming the sizes and the weight counts.
 */
public final class MlpFiles {
    public static final String MODEL = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MlpFiles() {
    }

    public static String weights(int layer) {
        return "w" + layer + ".npy";
    }

    public static String bias(int layer) {
        return "b" + layer + ".npy";
    }

    public static String mask(int layer) {
        return "mask" + layer + ".npy";
    }

    public static void write(Mlp mlp, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int l = 0; l < mlp.layers(); l++) {
            Npy.writeDoubles(dir.resolve(weights(l)), mlp.w[l], mlp.out(l), mlp.in(l));
            Npy.writeDoubles(dir.resolve(bias(l)), mlp.b[l], mlp.out(l));
            Npy.writeBytes(dir.resolve(mask(l)), mlp.mask[l], mlp.out(l), mlp.in(l));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("in", mlp.in(l));
            layer.put("out", mlp.out(l));
            layer.put("weights", mlp.weights(l));
            layer.put("remaining", mlp.remaining(l));
            layers.add(layer);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "mlp");
        model.put("sizes", mlp.sizes);
        model.put("activation", "relu");
        model.put("output", "softmax");
        model.put("prunable_weights", mlp.prunableWeights());
        model.put("remaining_weights", mlp.remainingWeights());
        model.put("compression", mlp.compression());
        model.put("layers", layers);
        AtomicFiles.writeBytes(dir.resolve(MODEL), org.prunelab.stages.io.CanonicalJson.PRETTY.writeValueAsBytes(model));
    }

    public static Mlp read(Path dir) throws IOException {
        Map<?, ?> model = JSON.readValue(dir.resolve(MODEL).toFile(), Map.class);
        if (!"mlp".equals(model.get("family")) || !(model.get("sizes") instanceof List<?> list)) {
            throw new IOException(dir.resolve(MODEL) + ": not an MLP model (family " + model.get("family") + ")");
        }
        int[] sizes = new int[list.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = ((Number) list.get(i)).intValue();
        }
        int layers = sizes.length - 1;
        double[][] w = new double[layers][];
        double[][] b = new double[layers][];
        byte[][] mask = new byte[layers][];
        for (int l = 0; l < layers; l++) {
            Npy.Array a = Npy.read(dir.resolve(weights(l)));
            if (a.doubles() == null || a.shape().length != 2 || a.shape()[0] != sizes[l + 1] || a.shape()[1] != sizes[l]) {
                throw new IOException(dir.resolve(weights(l)) + ": expected a " + sizes[l + 1] + "x" + sizes[l]
                        + " float64 array");
            }
            w[l] = a.doubles();
            b[l] = Npy.readDoubles(dir.resolve(bias(l)));
            mask[l] = Npy.readBytes(dir.resolve(mask(l)));
        }
        return new Mlp(sizes, w, b, mask);
    }

    /** A model must take exactly the data's pixels as inputs. */
    public static void checkInputs(Mlp model, int pixels) {
        if (model.sizes[0] != pixels) {
            throw new IllegalStateException("model has " + model.sizes[0] + " inputs, data has " + pixels + " pixels");
        }
    }
}
