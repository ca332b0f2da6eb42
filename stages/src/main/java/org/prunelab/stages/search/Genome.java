package org.prunelab.stages.search;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One candidate architecture: a random-graph generator with all its parameters (Erdős–Rényi p;
 * Watts–Strogatz k, p; Barabási–Albert m), a vertex count and a depth budget (the most network layers
 * the graph's layering may use). A genome carries the parameters of every generator, not only of the
 * one it names, so that switching the generator and switching back restores the old values, as in
 * a genome that keeps dormant genes. Only the named generator's parameters shape the network:
 * {@link #configValues()} lists exactly those, so two genomes that differ only in dormant genes
 * describe the same step.
 *
 * <p>Probabilities are kept on a grid of 0.01 (see {@link GenomeSpace}) so that a genome has a finite,
 * printable identity and a mutated-back genome meets its finished step again.
 */
public record Genome(GraphGenerator generator, int nodes, int depth, double erP, int wsK, double wsP, int baM) {

    /** The config values that select this genome's network (the {@link GenomeKeys}), active genes only. */
    public Map<String, Object> configValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(GenomeKeys.GENERATOR.name(), generator.configName());
        v.put(GenomeKeys.NODES.name(), nodes);
        v.put(GenomeKeys.DEPTH.name(), depth);
        switch (generator) {
            case ERDOS_RENYI -> v.put(GenomeKeys.ER_P.name(), erP);
            case WATTS_STROGATZ -> {
                v.put(GenomeKeys.WS_K.name(), wsK);
                v.put(GenomeKeys.WS_P.name(), wsP);
            }
            case BARABASI_ALBERT -> v.put(GenomeKeys.BA_M.name(), baM);
        }
        return v;
    }

    /** The active genes in one short line, e.g. {@code ws n=24 d=5 k=4 p=0.30}. */
    public String label() {
        String head = String.format(Locale.ROOT, "n=%d d=%d", nodes, depth);
        return switch (generator) {
            case ERDOS_RENYI -> String.format(Locale.ROOT, "er %s p=%.2f", head, erP);
            case WATTS_STROGATZ -> String.format(Locale.ROOT, "ws %s k=%d p=%.2f", head, wsK, wsP);
            case BARABASI_ALBERT -> String.format(Locale.ROOT, "ba %s m=%d", head, baM);
        };
    }

    /** The same genome with another generator (the other genes unchanged). */
    public Genome withGenerator(GraphGenerator g) {
        return new Genome(g, nodes, depth, erP, wsK, wsP, baM);
    }

    /** Two genomes are the same candidate when their active genes agree. */
    public boolean sameCandidate(Genome other) {
        return configValues().equals(other.configValues());
    }
}
