package org.prunelab.stages.recurrent;

import java.util.Locale;

/**
 * Which time step of the last recurrent layer feeds the classifier. The authors right-padded each
 * batch with symbol 0 and read the last step of the padded batch ({@link #LAST_STEP}), so a short
 * string is classified after the network has also read padding; {@link #LAST_SYMBOL} reads each
 * string's own last symbol instead.
 */
public enum Readout {
    LAST_STEP("last-step"),
    LAST_SYMBOL("last-symbol");

    private final String configName;

    Readout(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Readout parse(String name) {
        for (Readout r : values()) {
            if (r.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown readout '" + name + "' (known: last-step, last-symbol)");
    }
}
