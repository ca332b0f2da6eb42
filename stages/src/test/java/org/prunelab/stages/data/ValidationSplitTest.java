package org.prunelab.stages.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.Seeds;
import org.prunelab.stages.config.ConfigException;
import org.prunelab.stages.data.ValidationSplit.Part;

class ValidationSplitTest {
    private static final String KEY = "mlp.validation";

    @Test
    void partsHaveTheAskedSizesAndTogetherHoldEveryImageOnce() {
        ValidationSplit split = ValidationSplit.of(50, 7, 3L, "test/split", KEY);
        assertEquals(7, split.count(Part.VALIDATION));
        assertEquals(43, split.count(Part.TRAINING));
        int[] all = new int[50];
        for (Part part : Part.values()) {
            int[] rows = split.rows(part);
            assertEquals(split.count(part), rows.length);
            for (int r : rows) {
                all[r]++;
            }
        }
        int[] once = new int[50];
        Arrays.fill(once, 1);
        assertArrayEquals(once, all);
    }

    @Test
    void theSeedAndThePurposeFixThePermutation() {
        ValidationSplit a = ValidationSplit.of(200, 20, 5L, "test/split", KEY);
        assertArrayEquals(a.rows(Part.VALIDATION), ValidationSplit.of(200, 20, 5L, "test/split", KEY).rows(Part.VALIDATION));
        assertFalse(Arrays.equals(a.rows(Part.VALIDATION), ValidationSplit.of(200, 20, 6L, "test/split", KEY).rows(Part.VALIDATION)));
        assertFalse(Arrays.equals(a.rows(Part.VALIDATION), ValidationSplit.of(200, 20, 5L, "other/split", KEY).rows(Part.VALIDATION)));
    }

    /** The families' splits from before this class: a Fisher–Yates permutation of the derived stream, validation first. */
    @Test
    void theOrderIsTheSeededPermutationTheFamiliesUsedBefore() {
        int[] order = Seeds.permutation(120, new SplittableRandom(Seeds.derive(0L, "mlp/validation-split")));
        ValidationSplit split = ValidationSplit.of(120, 30, 0L, "mlp/validation-split", KEY);
        assertArrayEquals(Arrays.copyOfRange(order, 0, 30), split.rows(Part.VALIDATION));
        assertArrayEquals(Arrays.copyOfRange(order, 30, 120), split.rows(Part.TRAINING));
    }

    @Test
    void gatherCopiesTheRowsAndLabelsOfAPart() {
        int n = 9, f = 3;
        double[] images = new double[n * f];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int j = 0; j < f; j++) {
                images[i * f + j] = 10.0 * i + j;
            }
        }
        ValidationSplit split = ValidationSplit.of(n, 4, 11L, "test/split", KEY);
        for (Part part : Part.values()) {
            int[] rows = split.rows(part);
            double[] x = split.gather(part, images, f);
            int[] y = split.gather(part, labels);
            assertEquals(rows.length * f, x.length);
            for (int k = 0; k < rows.length; k++) {
                assertArrayEquals(Arrays.copyOfRange(images, rows[k] * f, rows[k] * f + f),
                        Arrays.copyOfRange(x, k * f, k * f + f));
                assertEquals(labels[rows[k]], y[k]);
            }
        }
    }

    @Test
    void aHoldOutThatLeavesNoTrainingOrHoldsNothingOutIsRefusedNamingKeyAndValue() {
        ConfigException all = assertThrows(ConfigException.class, () -> ValidationSplit.of(100, 100, 0L, "test/split", KEY));
        assertTrue(all.getMessage().contains("mlp.validation: 100") && all.getMessage().contains("none of the 100"),
                all.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> ValidationSplit.of(100, 0, 0L, "test/split", KEY));
        assertTrue(none.getMessage().contains("mlp.validation: 0"), none.getMessage());
        assertThrows(ConfigException.class, () -> ValidationSplit.of(100, -5, 0L, "test/split", KEY));
    }
}
