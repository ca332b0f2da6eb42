package org.prunelab.stages.recurrent;

import java.util.Locale;

/**
 * The recurrent cells of the Reber experiments, with PyTorch's equations and gate order, so that the
 * authors' models and ours mean the same thing:
 * <ul>
 *   <li>{@code rnn-tanh}, {@code rnn-relu}: h' = σ(W_ih x + b_ih + W_hh h + b_hh), one gate block;</li>
 *   <li>{@code gru}: blocks r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = n + z ⊙ (h − n);</li>
 *   <li>{@code lstm}: blocks i, f, g, o; c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').</li>
 * </ul>
 */
public enum CellType {
    RNN_TANH("rnn-tanh", 1),
    RNN_RELU("rnn-relu", 1),
    GRU("gru", 3),
    LSTM("lstm", 4);

    private final String configName;
    private final int gates;

    CellType(String configName, int gates) {
        this.configName = configName;
        this.gates = gates;
    }

    /** Number of H-row blocks stacked in each weight matrix. */
    public int gates() {
        return gates;
    }

    public String configName() {
        return configName;
    }

    /** The cell named {@code name} in a config ({@code rnn-tanh|rnn-relu|gru|lstm}). */
    public static CellType parse(String name) {
        for (CellType c : values()) {
            if (c.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown recurrent cell '" + name + "' (known: rnn-tanh, rnn-relu, gru, lstm)");
    }
}
