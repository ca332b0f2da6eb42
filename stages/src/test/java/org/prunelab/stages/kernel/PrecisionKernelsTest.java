package org.prunelab.stages.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.config.StageConfig;
import org.prunelab.stages.kernel.MaskedDenseKernelReferenceTest.Layer;
import org.prunelab.stages.linalg.Precision;

/** {@code runtime.precision}: the key, its parsing, and which kernel each precision and choice gives. */
class PrecisionKernelsTest {

    @Test
    void float64IsTheDefaultAndGivesTodaysKernels() {
        StageConfig config = StageConfig.resolve(List.of(PrecisionKernels.KEY), Map.of(), "test.yaml");
        assertSame(Precision.FLOAT64, PrecisionKernels.of(config));
        Layer dense = Layer.random(20, 10, 0.0, new SplittableRandom(1));
        assertEquals(DenseKernel.class, PrecisionKernels.masked(dense, "dense", Precision.FLOAT64).getClass());
        assertEquals(DenseKernel.class, PrecisionKernels.masked(dense, "auto", Precision.FLOAT64).getClass());
        assertEquals(DenseLayerKernel.class,
                PrecisionKernels.layer(dense.mask(), 20, 10, "dense", Precision.FLOAT64).getClass());
    }

    @Test
    void float32SwapsOnlyTheDenseKernels() {
        StageConfig config = StageConfig.resolve(List.of(PrecisionKernels.KEY), Map.of("runtime.precision", "float32"),
                "test.yaml");
        Precision p = PrecisionKernels.of(config);
        assertSame(Precision.FLOAT32, p);
        SplittableRandom rng = new SplittableRandom(2);
        Layer dense = Layer.random(20, 10, 0.0, rng);
        Layer sparse = Layer.random(20, 10, 0.99, rng);
        assertEquals("dense-fp32", PrecisionKernels.masked(dense, "dense", p).name());
        assertEquals("dense-fp32", PrecisionKernels.masked(dense, "auto", p).name());
        assertEquals("sparse", PrecisionKernels.masked(sparse, "auto", p).name(), "CSR stays fp64, same auto threshold");
        assertEquals("sparse", PrecisionKernels.masked(dense, "sparse", p).name());
        assertEquals("dense-fp32", PrecisionKernels.layer(dense.mask(), 20, 10, "auto", p).name());
        assertEquals("sparse", PrecisionKernels.layer(sparse.mask(), 20, 10, "auto", p).name());
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> StageConfig.resolve(List.of(PrecisionKernels.KEY),
                Map.of("runtime.precision", "float16"), "exp.yaml"));
        assertTrue(e.getMessage().contains("runtime.precision") && e.getMessage().contains("float16")
                && e.getMessage().contains("float32"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Precision.parse("double"));
        assertTrue(p.getMessage().contains("double") && p.getMessage().contains("float64"), p.getMessage());
    }
}
