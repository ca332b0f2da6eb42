package org.prunelab.pipeline.search;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.prunelab.io.AtomicFiles;
import org.prunelab.stages.search.BudgetedDag;

/**
 * Draws a depth-budgeted wiring: network layers as columns from left (input side) to right, a vertex
 * per circle, edges between adjacent layers in grey and skip edges in orange; a vertex reading the
 * input has a blue rim, one feeding the output a red fill. Written as SVG (text, by hand: no
 * drawing library needed) and as PNG (Java2D) from the same coordinates.
 */
final class ArchitectureDrawing {
    private static final int COLUMN = 110, ROW = 34, MARGIN = 50, RADIUS = 9;

    private ArchitectureDrawing() {
    }

    private static int width(BudgetedDag dag) {
        return Math.max(960, 2 * MARGIN + Math.max(1, dag.layerCount() - 1) * COLUMN + 120);
    }

    private static int height(BudgetedDag dag) {
        int tallest = 1;
        for (int l = 0; l < dag.layerCount(); l++) {
            tallest = Math.max(tallest, dag.layer(l).size());
        }
        return 2 * MARGIN + (tallest - 1) * ROW + 40;
    }

    private static double x(BudgetedDag dag, int v) {
        return MARGIN + 60 + dag.layerOf(v) * (double) COLUMN;
    }

    private static double y(BudgetedDag dag, int v) {
        int size = dag.layer(dag.layerOf(v)).size();
        double top = (height(dag) - (size - 1) * (double) ROW) / 2 + 10;
        return top + dag.positionInLayer(v) * (double) ROW;
    }

    static String svg(BudgetedDag dag, String title) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n",
                width(dag), height(dag)));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-family=\"sans-serif\" font-size=\"13\">%s</text>%n",
                escape(title)));
        for (int[] e : dag.edges()) {
            boolean skip = dag.layerOf(e[1]) - dag.layerOf(e[0]) > 1;
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.2\"/>%n",
                    x(dag, e[0]), y(dag, e[0]), x(dag, e[1]), y(dag, e[1]), skip ? "#e08000" : "#999999"));
        }
        for (int v = 0; v < dag.vertices(); v++) {
            s.append(String.format(Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    x(dag, v), y(dag, v), RADIUS, dag.feedsOutput(v) ? "#f4a0a0" : "#ffffff",
                    dag.readsInput(v) ? "#2060d0" : "#333333"));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"9\""
                    + " text-anchor=\"middle\">%d</text>%n", x(dag, v), y(dag, v) + 3, v));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-family=\"sans-serif\" font-size=\"11\">"
                + "columns: network layers (input side left); blue rim: reads the input; red: feeds the output;"
                + " orange: skip edge</text>%n", height(dag) - 8));
        s.append("</svg>\n");
        return s.toString();
    }

    static byte[] png(BudgetedDag dag, String title) throws IOException {
        BufferedImage img = new BufferedImage(width(dag), height(dag), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(title, 10, 20);
            g.setStroke(new BasicStroke(1.2f));
            for (int[] e : dag.edges()) {
                boolean skip = dag.layerOf(e[1]) - dag.layerOf(e[0]) > 1;
                g.setColor(skip ? new Color(0xe0, 0x80, 0x00) : new Color(0x99, 0x99, 0x99));
                g.drawLine((int) x(dag, e[0]), (int) y(dag, e[0]), (int) x(dag, e[1]), (int) y(dag, e[1]));
            }
            g.setStroke(new BasicStroke(2f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            for (int v = 0; v < dag.vertices(); v++) {
                int cx = (int) x(dag, v), cy = (int) y(dag, v);
                g.setColor(dag.feedsOutput(v) ? new Color(0xf4, 0xa0, 0xa0) : Color.WHITE);
                g.fillOval(cx - RADIUS, cy - RADIUS, 2 * RADIUS, 2 * RADIUS);
                g.setColor(dag.readsInput(v) ? new Color(0x20, 0x60, 0xd0) : new Color(0x33, 0x33, 0x33));
                g.drawOval(cx - RADIUS, cy - RADIUS, 2 * RADIUS, 2 * RADIUS);
                g.setColor(Color.BLACK);
                String label = Integer.toString(v);
                g.drawString(label, cx - g.getFontMetrics().stringWidth(label) / 2, cy + 3);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString("columns: network layers (input side left); blue rim: reads the input; red: feeds the output;"
                    + " orange: skip edge", 10, img.getHeight() - 8);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    static void write(BudgetedDag dag, String title, Path dir, String base) throws IOException {
        AtomicFiles.writeString(dir.resolve(base + ".svg"), svg(dag, title));
        AtomicFiles.writeBytes(dir.resolve(base + ".png"), png(dag, title));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
