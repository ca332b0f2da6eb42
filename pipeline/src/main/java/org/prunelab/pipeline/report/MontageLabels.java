package org.prunelab.pipeline.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.prunelab.io.AtomicFiles;

/**
 * Puts a label in front of every row of a sample montage ("lth  sparsity = 0.90") and a title above
 * it, so the figure says which model each row of samples came from without a separate legend file.
 */
final class MontageLabels {
    private static final int MARGIN = 16;

    private MontageLabels() {
    }

    /**
     * @param rowPitch pixels from the top of one montage row to the next
     * @param rowHeight pixels of one row of images
     */
    static void label(Path png, String title, List<String> rowLabels, int rowPitch, int rowHeight) throws IOException {
        BufferedImage grid = ImageIO.read(png.toFile());
        if (grid == null) {
            throw new IOException(png + ": not a readable PNG");
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D p = probe.createGraphics();
        FontMetrics fm = p.getFontMetrics(font);
        int labelWidth = rowLabels.stream().mapToInt(fm::stringWidth).max().orElse(0) + 2 * MARGIN;
        p.dispose();
        int header = 30;
        BufferedImage out = new BufferedImage(labelWidth + grid.getWidth() + MARGIN, header + grid.getHeight() + MARGIN,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(grid, labelWidth, header, null);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(title, MARGIN, 20);
            g.setFont(font);
            for (int i = 0; i < rowLabels.size(); i++) {
                int centre = header + i * rowPitch + rowHeight / 2;
                g.drawString(rowLabels.get(i), MARGIN, centre + fm.getAscent() / 2 - 1);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, stream -> {
            if (!ImageIO.write(out, "png", stream)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
