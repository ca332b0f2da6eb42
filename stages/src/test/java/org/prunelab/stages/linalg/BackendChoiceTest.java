package org.prunelab.stages.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendChoiceTest {

    @Test
    void parsesTheThreeValuesInAnyCase() {
        assertEquals(BackendChoice.AUTO, BackendChoice.parse(" auto ", "test"));
        assertEquals(BackendChoice.NATIVE, BackendChoice.parse("Native", "test"));
        assertEquals(BackendChoice.JAVA, BackendChoice.parse("JAVA", "test"));
    }

    @Test
    void anUnknownValueNamesItsSourceAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendChoice.parse("mkl", "system property " + BackendChoice.PROPERTY));
        assertTrue(e.getMessage().contains(BackendChoice.PROPERTY) && e.getMessage().contains("\"mkl\"")
                && e.getMessage().contains("auto, native or java"), e.getMessage());
    }

    /** The switch CI uses: the property forces the pure-Java path through the ordinary factory. */
    @Test
    void thePropertyForcesPureJava() {
        String before = System.getProperty(BackendChoice.PROPERTY);
        try {
            System.setProperty(BackendChoice.PROPERTY, "java");
            Gemm gemm = Gemm.create(2);
            assertTrue(gemm.backendName().startsWith("java-"), gemm.backendName());
            assertEquals(2, gemm.threads());
            System.setProperty(BackendChoice.PROPERTY, "nonsense");
            assertThrows(IllegalArgumentException.class, () -> Gemm.create(1));
        } finally {
            if (before == null) {
                System.clearProperty(BackendChoice.PROPERTY);
            } else {
                System.setProperty(BackendChoice.PROPERTY, before);
            }
        }
    }
}
