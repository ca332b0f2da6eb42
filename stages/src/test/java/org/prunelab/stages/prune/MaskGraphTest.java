package org.prunelab.stages.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskGraphTest {
    /** nv = 5 pixels, nh = 3 hidden; edges as (pixel, hidden). */
    private static byte[] mask(int nv, int nh, int[][] edges) {
        byte[] m = new byte[nv * nh];
        for (int[] e : edges) {
            m[e[0] * nh + e[1]] = 1;
        }
        return m;
    }

    @Test
    void componentsOfAHandMadeGraph() {
        // {p0, p1, h0} via h0; {p2, p3, h1, h2} via p3 joining h1 and h2; p4 isolated.
        byte[] m = mask(5, 3, new int[][] {{0, 0}, {1, 0}, {2, 1}, {3, 1}, {3, 2}});
        MaskGraph.Components c = MaskGraph.components(m, 5, 3);
        assertEquals(3, c.components());
        assertEquals(2, c.componentsWithEdges());
        assertEquals(4, c.largestNodes());
        assertEquals(2, c.largestPixels());
        assertEquals(3, c.largestEdges());
        assertEquals(0.5, c.asMetrics().get("mask.largest_component_fraction"));
        assertArrayEquals(new int[] {1, 1, 1, 2, 0}, MaskGraph.pixelDegrees(m, 5, 3));
        assertArrayEquals(new int[] {2, 2, 1}, MaskGraph.hiddenDegrees(m, 5, 3));
    }

    @Test
    void denseAndEmptyExtremes() {
        MaskGraph.Components dense = MaskGraph.components(Masks.dense(28 * 10), 28, 10);
        assertEquals(1, dense.components());
        assertEquals(38, dense.largestNodes());
        assertEquals(280, dense.largestEdges());
        MaskGraph.Components empty = MaskGraph.components(new byte[28 * 10], 28, 10);
        assertEquals(38, empty.components());
        assertEquals(0, empty.componentsWithEdges());
        assertEquals(1, empty.largestNodes());
    }

    @Test
    void agreesWithABreadthFirstSearchOnRandomMasks() {
        for (double s : new double[] {0.9, 0.97, 0.995}) {
            int nv = 60, nh = 25;
            byte[] m = Masks.random(nv * nh, s, new SplittableRandom(11));
            MaskGraph.Components c = MaskGraph.components(m, nv, nh);
            // BFS reference.
            int n = nv + nh, count = 0, largest = 0;
            boolean[] seen = new boolean[n];
            for (int start = 0; start < n; start++) {
                if (seen[start]) {
                    continue;
                }
                count++;
                int size = 0;
                java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
                queue.add(start);
                seen[start] = true;
                while (!queue.isEmpty()) {
                    int x = queue.poll();
                    size++;
                    for (int y = 0; y < n; y++) {
                        boolean edge = x < nv && y >= nv && m[x * nh + (y - nv)] != 0
                                || x >= nv && y < nv && m[y * nh + (x - nv)] != 0;
                        if (edge && !seen[y]) {
                            seen[y] = true;
                            queue.add(y);
                        }
                    }
                }
                largest = Math.max(largest, size);
            }
            assertEquals(count, c.components(), "s=" + s);
            assertEquals(largest, c.largestNodes(), "s=" + s);
        }
    }

    @Test
    void histogramAndCsv(@TempDir Path dir) throws Exception {
        int[] deg = {0, 1, 2, 3, 4, 5, 9, 9};
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 2}, MaskGraph.histogram(deg, 9, 10));
        assertArrayEquals(new long[] {4, 2, 2}, MaskGraph.histogram(deg, 9, 3)); // bins [0,3] [4,6] [7,9]
        Path csv = dir.resolve("h.csv");
        MaskGraph.writeHistogramCsv(deg, 9, 3, csv);
        assertEquals("bin_lo,bin_hi,count\n0,3,4\n4,6,2\n7,9,2\n", Files.readString(csv));
    }

    @Test
    void degreeMapPng(@TempDir Path dir) throws Exception {
        int[] deg = new int[28 * 28];
        deg[0] = 0;
        deg[1] = 1;
        deg[2] = 500;
        Path png = dir.resolve("deg.png");
        MaskGraph.writeDegreeMapPng(deg, 28, 28, 500, 2, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 56 + 16, "the map (56 px) and a colour bar to its right: " + img.getWidth());
        assertTrue(img.getHeight() >= 56);
        // The bar's top is the colour of the maximum degree (white), its bottom that of 0 (black).
        int barX = 56 + 14 + 8;
        int[] column = new int[img.getHeight()];
        for (int y = 0; y < img.getHeight(); y++) {
            column[y] = img.getRGB(barX, y) & 0xFFFFFF;
        }
        assertTrue(java.util.Arrays.stream(column).anyMatch(c -> c == 0x000000), "bar reaches black (degree 0)");
        assertTrue(java.util.Arrays.stream(column).distinct().count() > 20, "bar runs through the colour map");
        assertEquals(0x000000, img.getRGB(0, 0) & 0xFFFFFF, "isolated pixel is black");
        assertEquals(0xFFFFFF, img.getRGB(5, 1) & 0xFFFFFF, "full degree is white");
        int one = img.getRGB(2, 0) & 0xFFFFFF;
        assertTrue(one != 0, "degree 1 is visibly different from 0");
    }
}
