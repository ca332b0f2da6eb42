package org.prunelab.stages.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaxPool2dTest {
    @Test
    void forwardTakesEachWindowsMaximumAndDropsAnOddBorder() {
        // One 3 x 4 plane: the odd last row is dropped, as PyTorch's MaxPool2d(2) does.
        double[] x = {1, 5, 2, 0,
                      3, 4, 9, 8,
                      7, 7, 7, 7};
        double[] y = new double[2];
        int[] from = new int[2];
        MaxPool2d.forward(x, 1, 3, 4, y, from);
        assertArrayEquals(new double[] {5, 9}, y);
        assertArrayEquals(new int[] {1, 6}, from);
    }

    @Test
    void backwardRoutesEachGradientToItsMaximumOnly() {
        double[] x = {2, 2, 1, 0, // tie in the first window: the first in row-major order wins
                      0, 1, 3, 0};
        double[] y = new double[2];
        int[] from = new int[2];
        MaxPool2d.forward(x, 1, 2, 4, y, from);
        double[] dx = {9, 9, 9, 9, 9, 9, 9, 9};
        MaxPool2d.backward(new double[] {0.5, -2}, from, 2, dx, 8);
        assertArrayEquals(new double[] {0.5, 0, 0, 0, 0, 0, -2, 0}, dx);
    }

    @Test
    void aSideOfOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MaxPool2d.outSize(1));
    }
}
