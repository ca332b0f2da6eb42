package org.prunelab.stages.recurrent;

import java.util.Locale;

/**
 * How the mask of a graph edge (unit j of one layer → unit k of the next) covers a gated cell's
 * weight matrix, whose G·H rows hold G gate blocks of H rows each:
 * <ul>
 *   <li>{@link #BLOCK}: the edge's mask entry applies to row k of every gate block (rows k, H + k,
 *       2H + k, …) — one graph edge is one connection of the cell, all its gates included;</li>
 *   <li>{@link #INTERLEAVED}: mask row k is repeated G times at rows G·k … G·k + G − 1, which is what
 *       {@code np.repeat(mask, G, axis=0)} did in the authors' code; with PyTorch's block gate order
 *       this wires gate rows to the wrong units, so it is offered for reproducing their numbers.</li>
 * </ul>
 * Both are the identity for single-gate cells.
 */
public enum GateLayout {
    BLOCK("block"),
    INTERLEAVED("interleaved");

    private final String configName;

    GateLayout(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static GateLayout parse(String name) {
        for (GateLayout g : values()) {
            if (g.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown gate layout '" + name + "' (known: block, interleaved)");
    }

    /** Expands an H×I edge mask to the G·H×I mask of a cell with {@code gates} gate blocks. */
    public byte[] expand(byte[] edgeMask, int hidden, int in, int gates) {
        if (edgeMask.length != hidden * in) {
            throw new IllegalArgumentException("edge mask has " + edgeMask.length + " entries, expected " + hidden
                    + "x" + in);
        }
        byte[] out = new byte[gates * hidden * in];
        for (int g = 0; g < gates; g++) {
            for (int k = 0; k < hidden; k++) {
                int row = this == BLOCK ? g * hidden + k : g + gates * k;
                // INTERLEAVED reads mask row (row / gates) for output row `row`; BLOCK reads row k.
                int source = this == BLOCK ? k : row / gates;
                System.arraycopy(edgeMask, source * in, out, row * in, in);
            }
        }
        return out;
    }
}
