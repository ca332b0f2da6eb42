package org.prunelab.stages.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.prunelab.io.AtomicFiles;

/** Sample grids (protocol §4: a 10×10 grid image per evaluated point). */
public final class ImageGrid {
    /** Grey level of the 1px gaps and of unused cells, distinct from both ink (white) and background (black). */
    private static final int GAP_GREY = 128;

    private ImageGrid() {
    }

    /**
     * Writes a grid PNG of `count` images (values in [0,1], each rows x cols), `perRow` per row, 1px
     * gap, scaled up by `scale`. Value 1 is white, 0 black; values outside [0,1] are clamped. The
     * grid is (perRow·cols + perRow − 1)·scale wide and (g·rows + g − 1)·scale high, with
     * g = ceil(count/perRow) grid rows. Atomic write.
     */
    public static void writePng(double[] images, int count, int rows, int cols, int perRow, int scale, Path file)
            throws IOException {
        if (count < 1 || rows < 1 || cols < 1 || perRow < 1 || scale < 1) {
            throw new IllegalArgumentException("count, rows, cols, perRow and scale must be >= 1");
        }
        if (images.length < (long) count * rows * cols) {
            throw new IllegalArgumentException("images has " + images.length + " values, need " + count + "*" + rows + "*" + cols);
        }
        int across = Math.min(perRow, count);
        int down = (count + perRow - 1) / perRow;
        int width = (across * cols + across - 1) * scale;
        int height = (down * rows + down - 1) * scale;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int[] line = new int[width];
        java.util.Arrays.fill(line, GAP_GREY);
        for (int y = 0; y < height; y++) {
            raster.setSamples(0, y, width, 1, 0, line);
        }
        for (int n = 0; n < count; n++) {
            int x0 = (n % perRow) * (cols + 1);
            int y0 = (n / perRow) * (rows + 1);
            int base = n * rows * cols;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = images[base + r * cols + c];
                    double clamped = Double.isNaN(v) ? 0.0 : Math.min(1.0, Math.max(0.0, v));
                    int grey = (int) Math.round(255.0 * clamped);
                    int px = (x0 + c) * scale;
                    int py = (y0 + r) * scale;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(px + dx, py + dy, 0, grey);
                        }
                    }
                }
            }
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
