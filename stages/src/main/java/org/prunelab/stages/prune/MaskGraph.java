package org.prunelab.stages.prune;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.prunelab.stages.image.ColourBar;
import org.prunelab.io.AtomicFiles;

/**
 * Graph statistics of a mask beyond {@link MaskStats} (rbm-dilution protocol §5 "connected components
 * of the bipartite graph", §8 "Location"). The graph has nv + nh nodes (pixels and hidden units)
 * and one edge per kept connection.
 *
 * <p>Note on "effective sparsity": in an RBM every kept weight joins a pixel and a hidden unit that
 * both have at least that connection, so no surviving weight is ever dangling (unlike in a
 * feed-forward net, where a weight into a dead unit is ineffective). Nothing is computed for it;
 * the degree map and histogram show where connections sit instead.
 */
public final class MaskGraph {
    private MaskGraph() {
    }

    /**
     * Connected components. {@code components} counts every component, an isolated unit being a
     * component of its own; {@code componentsWithEdges} only those with at least one connection;
     * {@code largestNodes}/{@code largestEdges}/{@code largestPixels} describe the component with
     * the most nodes (the lowest-numbered on ties).
     */
    public record Components(int components, int componentsWithEdges, int largestNodes, int largestPixels,
            long largestEdges, int totalNodes) {
        public Map<String, Double> asMetrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("mask.components", (double) components);
            m.put("mask.components_with_edges", (double) componentsWithEdges);
            m.put("mask.largest_component_nodes", (double) largestNodes);
            m.put("mask.largest_component_pixels", (double) largestPixels);
            m.put("mask.largest_component_edges", (double) largestEdges);
            m.put("mask.largest_component_fraction", (double) largestNodes / totalNodes);
            return m;
        }
    }

    /** Union-find (union by size, path halving) over pixels 0..nv−1 and hidden units nv..nv+nh−1. */
    public static Components components(byte[] mask, int nv, int nh) {
        check(mask, nv, nh);
        int n = nv + nh;
        int[] parent = new int[n];
        int[] size = new int[n];
        for (int x = 0; x < n; x++) {
            parent[x] = x;
            size[x] = 1;
        }
        for (int i = 0; i < nv; i++) {
            int base = i * nh;
            for (int mu = 0; mu < nh; mu++) {
                if (mask[base + mu] != 0) {
                    int ra = find(parent, i), rb = find(parent, nv + mu);
                    if (ra != rb) {
                        if (size[ra] < size[rb]) {
                            int t = ra;
                            ra = rb;
                            rb = t;
                        }
                        parent[rb] = ra;
                        size[ra] += size[rb];
                    }
                }
            }
        }
        long[] edges = new long[n];
        int[] pixels = new int[n];
        for (int i = 0; i < nv; i++) {
            int root = find(parent, i);
            pixels[root]++;
            int base = i * nh;
            for (int mu = 0; mu < nh; mu++) {
                edges[root] += mask[base + mu];
            }
        }
        int count = 0, withEdges = 0, best = -1;
        for (int x = 0; x < n; x++) {
            if (find(parent, x) == x) {
                count++;
                if (edges[x] > 0) {
                    withEdges++;
                }
                if (best < 0 || size[x] > size[best]) {
                    best = x;
                }
            }
        }
        return new Components(count, withEdges, size[best], pixels[best], edges[best], n);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** Kept connections of each pixel (nv values). */
    public static int[] pixelDegrees(byte[] mask, int nv, int nh) {
        check(mask, nv, nh);
        int[] d = new int[nv];
        for (int i = 0; i < nv; i++) {
            for (int mu = 0; mu < nh; mu++) {
                d[i] += mask[i * nh + mu];
            }
        }
        return d;
    }

    /** Kept connections of each hidden unit (nh values). */
    public static int[] hiddenDegrees(byte[] mask, int nv, int nh) {
        check(mask, nv, nh);
        return LotteryTicket.keptPerHiddenUnit(mask, nv, nh);
    }

    /**
     * Histogram of degrees in {@code bins} equal-width bins over [0, maxDegree]: bin b holds degrees
     * d with floor(d·bins/(maxDegree+1)) = b. With bins = maxDegree + 1 every degree has its own bin.
     */
    public static long[] histogram(int[] degrees, int maxDegree, int bins) {
        if (bins < 1 || maxDegree < 0) {
            throw new IllegalArgumentException("need bins >= 1 and maxDegree >= 0");
        }
        long[] h = new long[bins];
        for (int d : degrees) {
            if (d < 0 || d > maxDegree) {
                throw new IllegalArgumentException("degree " + d + " outside 0.." + maxDegree);
            }
            h[(int) ((long) d * bins / (maxDegree + 1))]++;
        }
        return h;
    }

    /** CSV "bin_lo,bin_hi,count" of {@link #histogram} (inclusive integer bounds), atomic write. */
    public static void writeHistogramCsv(int[] degrees, int maxDegree, int bins, Path file) throws IOException {
        long[] h = histogram(degrees, maxDegree, bins);
        StringBuilder sb = new StringBuilder("bin_lo,bin_hi,count\n");
        for (int b = 0; b < bins; b++) {
            long lo = ((long) b * (maxDegree + 1) + bins - 1) / bins;          // smallest d with floor(d·bins/(max+1)) = b
            long hi = ((long) (b + 1) * (maxDegree + 1) + bins - 1) / bins - 1;
            sb.append(lo).append(',').append(hi).append(',').append(h[b]).append('\n');
        }
        AtomicFiles.writeBytes(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Heat map PNG of per-pixel degrees on a rows x cols grid, each pixel scale x scale: black for
     * degree 0 (isolated pixels stand out), then dark red → yellow → white as the degree rises to
     * {@code maxDegree} (nh for an absolute scale; pass the observed max for contrast), with a
     * labelled colour bar to its right ({@link ColourBar}; the map keeps its pixel positions). Atomic write.
     */
    public static void writeDegreeMapPng(int[] degrees, int rows, int cols, int maxDegree, int scale, Path file)
            throws IOException {
        if (degrees.length != rows * cols || scale < 1 || maxDegree < 1) {
            throw new IllegalArgumentException("need rows*cols degrees, scale >= 1, maxDegree >= 1");
        }
        BufferedImage img = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int rgb = heat(degrees[r * cols + c], maxDegree);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(c * scale + dx, r * scale + dy, rgb);
                    }
                }
            }
        }
        BufferedImage withScale = ColourBar.beside(img, maxDegree, d -> heat(d, maxDegree), "degree (hidden units)");
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(withScale, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** "Hot" colour map: 0 → black; (0, 1/3] red rises; (1/3, 2/3] green; (2/3, 1] blue (white at the top). */
    static int heat(int degree, int maxDegree) {
        if (degree <= 0) {
            return 0;
        }
        double t = Math.min(1.0, (double) degree / maxDegree);
        int red = channel(t * 3.0), green = channel(t * 3.0 - 1.0), blue = channel(t * 3.0 - 2.0);
        return Math.max(red, 64) << 16 | green << 8 | blue; // a floor of 64 keeps degree 1 distinguishable from 0
    }

    private static int channel(double x) {
        return (int) Math.round(255.0 * Math.min(1.0, Math.max(0.0, x)));
    }

    private static void check(byte[] mask, int nv, int nh) {
        if (nv <= 0 || nh <= 0 || (long) nv * nh != mask.length) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected nv*nh = " + nv + "*" + nh);
        }
    }
}
