package org.prunelab.stages.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.IntUnaryOperator;

/**
 * A heat map is unreadable without its scale: this puts a labelled colour bar to the right of one.
 * The map keeps its pixels at the same coordinates (top left), so code and tests that read them are
 * unaffected; the canvas grows to the right (and down, when the map is shorter than the bar needs).
 * The label, which should name the unit, runs upwards along the right edge.
 */
public final class ColourBar {
    private static final int GAP = 14;
    private static final int BAR_WIDTH = 16;
    private static final int LABELS = 56;
    private static final int MIN_HEIGHT = 180;

    private ColourBar() {
    }

    /**
     * @param map    the heat map
     * @param max    the value at the top of the bar (the bottom is 0)
     * @param colour RGB of an integer value in [0, max], as the map used it
     * @param label  what the colour measures, with its unit (e.g. "degree (hidden units)")
     */
    public static BufferedImage beside(BufferedImage map, int max, IntUnaryOperator colour, String label) {
        int height = Math.max(map.getHeight(), MIN_HEIGHT);
        BufferedImage canvas = new BufferedImage(map.getWidth() + GAP + BAR_WIDTH + LABELS, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            g.drawImage(map, 0, 0, null);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            int top = fm.getHeight();
            int bottom = height - fm.getHeight();
            int x = map.getWidth() + GAP;
            for (int y = top; y <= bottom; y++) {
                double t = (double) (bottom - y) / Math.max(1, bottom - top);
                g.setColor(new Color(colour.applyAsInt((int) Math.round(t * max))));
                g.drawLine(x, y, x + BAR_WIDTH - 1, y);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x - 1, top - 1, BAR_WIDTH + 1, bottom - top + 2); // outside the bar: every colour stays visible
            int[] ticks = max >= 2 ? new int[] {0, max / 2, max} : new int[] {0, max};
            for (int v : ticks) {
                int y = bottom - (int) Math.round((double) v / Math.max(1, max) * (bottom - top));
                g.drawLine(x + BAR_WIDTH + 1, y, x + BAR_WIDTH + 4, y);
                g.drawString(Integer.toString(v), x + BAR_WIDTH + 6, y + fm.getAscent() / 2 - 1);
            }
            // The label runs upwards along the right edge, centred on the bar, clear of the map.
            int labelWidth = fm.stringWidth(label);
            int centre = (top + bottom) / 2;
            g.translate(canvas.getWidth() - fm.getDescent() - 3, centre + labelWidth / 2);
            g.rotate(-Math.PI / 2);
            g.drawString(label, 0, 0);
        } finally {
            g.dispose();
        }
        return canvas;
    }
}
