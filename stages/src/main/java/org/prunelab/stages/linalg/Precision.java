package org.prunelab.stages.linalg;

import java.util.List;
import java.util.Locale;

/**
 * The arithmetic of the dense products ({@code runtime.precision}). {@code float64} is the default
 * and computes every product in double precision. {@code float32} runs the GEMM products of the dense
 * kernels (RBM forward, transposed and outer-gradient product; MLP forward, input and weight gradient)
 * through {@code sgemm}, twice the SIMD width of {@code dgemm}, while parameters, optimiser state,
 * activations, sampling and checkpoints stay double ("master weights", as mixed-precision training
 * keeps them): operands are rounded to float on the way in, results widened on the way out.
 *
 * <p>Unlike the thread count, the precision changes what a step computes (by rounding), so it is
 * part of the identity of every step that trains.
 */
public enum Precision {
    FLOAT64("float64"),
    FLOAT32("float32");

    /** The config values, in the order {@code keys} lists them. */
    public static final List<String> NAMES = List.of(FLOAT64.configName, FLOAT32.configName);

    private final String configName;

    Precision(String configName) {
        this.configName = configName;
    }

    /** The value as written in configs, manifests and MLflow params. */
    public String configName() {
        return configName;
    }

    /** {@code float64} or {@code float32}; anything else is refused with the accepted values. */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.configName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "', expected one of " + NAMES);
    }
}
