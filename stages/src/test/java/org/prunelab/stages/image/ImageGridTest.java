package org.prunelab.stages.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @Test
    void writesAPngWithTheExpectedGeometry(@TempDir Path dir) throws Exception {
        int count = 23, rows = 28, cols = 28, perRow = 10, scale = 2;
        double[] images = new double[count * rows * cols];
        images[0] = 1.0;                  // top-left pixel of the first image: white
        images[rows * cols - 1] = 0.5;    // last pixel of the first image: mid grey
        Path file = dir.resolve("sub/grid.png");
        ImageGrid.writePng(images, count, rows, cols, perRow, scale, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals((10 * 28 + 9) * 2, img.getWidth());
        assertEquals((3 * 28 + 2) * 2, img.getHeight());
        assertEquals(255, img.getRaster().getSample(1, 1, 0));
        assertEquals(0, img.getRaster().getSample(2, 0, 0));
        assertEquals(128, img.getRaster().getSample(27 * 2 + 1, 27 * 2 + 1, 0));
        assertEquals(128, img.getRaster().getSample(28 * 2, 0, 0), "gap column");
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void fewerImagesThanPerRowGivesANarrowGrid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.png");
        ImageGrid.writePng(new double[3 * 4 * 5], 3, 4, 5, 10, 1, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(3 * 5 + 2, img.getWidth());
        assertEquals(4, img.getHeight());
    }
}
