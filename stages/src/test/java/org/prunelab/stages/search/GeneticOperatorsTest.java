package org.prunelab.stages.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.junit.jupiter.api.Test;
import org.prunelab.stages.config.ConfigException;

class GeneticOperatorsTest {
    private static final GenomeSpace SPACE = new GenomeSpace(List.of(GraphGenerator.values()), 6, 40, 2, 6, 0.05, 0.6,
            8, 4);
    private static final GeneticOperators OPS = new GeneticOperators(SPACE, 0.2, 5, 0.1);

    @Test
    void sampledMutatedAndCrossedGenomesStayValid() {
        SplittableRandom rng = new SplittableRandom(7);
        Set<GraphGenerator> seen = EnumSet.noneOf(GraphGenerator.class);
        Genome g = SPACE.sample(rng);
        for (int i = 0; i < 5_000; i++) {
            Genome a = SPACE.sample(rng);
            assertTrue(SPACE.isValid(a), "sampled " + a);
            Genome m = OPS.mutate(g, rng);
            assertTrue(SPACE.isValid(m), "mutated " + g + " into " + m);
            Genome c = OPS.crossover(a, m, rng);
            assertTrue(SPACE.isValid(c), "crossed " + a + " and " + m + " into " + c);
            seen.add(c.generator());
            g = m;
        }
        assertEquals(EnumSet.allOf(GraphGenerator.class), seen, "every generator is reached");
    }

    @Test
    void boundaryGenomesAreRepairedIntoRange() {
        Genome wild = new Genome(GraphGenerator.WATTS_STROGATZ, 7, 99, 0.999, 13, 1.7, 50);
        Genome r = SPACE.repair(wild);
        assertEquals(new Genome(GraphGenerator.WATTS_STROGATZ, 7, 6, 0.6, 6, 1.0, 4), r);
        assertTrue(SPACE.isValid(r));
        // k must stay even and below n: with n = 6 the largest is 4.
        assertEquals(4, SPACE.repair(new Genome(GraphGenerator.WATTS_STROGATZ, 6, 3, 0.1, 8, 0.5, 1)).wsK());
        assertEquals(0.13, SPACE.repair(new Genome(GraphGenerator.ERDOS_RENYI, 6, 3, 0.1271, 2, 0.5, 1)).erP());
    }

    @Test
    void mutationChangesOneActiveGeneOrTheGeneratorAndDormantGenesSurviveASwitch() {
        SplittableRandom rng = new SplittableRandom(3);
        Genome ws = new Genome(GraphGenerator.WATTS_STROGATZ, 20, 4, 0.3, 4, 0.5, 2);
        int changed = 0;
        for (int i = 0; i < 500; i++) {
            Genome m = OPS.mutate(ws, rng);
            int differences = (m.generator() != ws.generator() ? 1 : 0) + (m.nodes() != ws.nodes() ? 1 : 0)
                    + (m.depth() != ws.depth() ? 1 : 0) + (m.wsK() != ws.wsK() ? 1 : 0) + (m.wsP() != ws.wsP() ? 1 : 0);
            assertTrue(differences <= 1, "one change at a time: " + ws + " -> " + m);
            assertEquals(ws.erP(), m.erP(), "a dormant gene is not mutated");
            if (m.generator() != ws.generator()) {
                assertEquals(ws.withGenerator(m.generator()), m, "a switch keeps every gene");
            }
            changed += differences;
        }
        assertTrue(changed > 350, "mutation mostly changes something, changed " + changed + " of 500");
    }

    @Test
    void crossoverTakesEveryGeneFromAParent() {
        SplittableRandom rng = new SplittableRandom(11);
        Genome a = new Genome(GraphGenerator.ERDOS_RENYI, 10, 2, 0.1, 2, 0.1, 1);
        Genome b = new Genome(GraphGenerator.BARABASI_ALBERT, 30, 5, 0.5, 8, 0.9, 3);
        Set<Integer> nodes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Genome c = OPS.crossover(a, b, rng);
            assertTrue(c.nodes() == 10 || c.nodes() == 30);
            assertTrue(c.depth() == 2 || c.depth() == 5);
            assertTrue(c.erP() == 0.1 || c.erP() == 0.5);
            assertTrue(c.baM() == 1 || c.baM() == 3);
            nodes.add(c.nodes());
        }
        assertEquals(Set.of(10, 30), nodes, "both parents contribute");
    }

    @Test
    void operatorsAreDeterministicGivenTheStream() {
        Genome a = SPACE.sample(new SplittableRandom(5));
        Genome b = SPACE.sample(new SplittableRandom(6));
        assertEquals(OPS.crossover(a, b, new SplittableRandom(9)), OPS.crossover(a, b, new SplittableRandom(9)));
        assertEquals(OPS.mutate(a, new SplittableRandom(9)), OPS.mutate(a, new SplittableRandom(9)));
        assertNotEquals(SPACE.sample(new SplittableRandom(1)), SPACE.sample(new SplittableRandom(2)));
    }

    @Test
    void everyValidGenomeHasAConnectedGraphAndABudgetedDag() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int i = 0; i < 200; i++) {
            Genome g = SPACE.sample(rng);
            GenomeGraphs.Drawn drawn = GenomeGraphs.draw(g, i);
            assertEquals(g.nodes(), drawn.graph().vertexSet().size());
            assertTrue(new ConnectivityInspector<>(drawn.graph()).isConnected(), g.label());
            BudgetedDag dag = BudgetedDag.of(drawn.graph(), g.depth());
            assertTrue(dag.layerCount() <= g.depth(), g.label() + " uses " + dag.layerCount() + " layers");
            for (int[] e : dag.edges()) {
                assertTrue(dag.layerOf(e[0]) < dag.layerOf(e[1]), "edges go forward");
            }
            assertEquals(GenomeGraphs.draw(g, i).graph().edgeSet().size(), drawn.graph().edgeSet().size(),
                    "the same genome and seed draw the same graph");
        }
    }

    @Test
    void badSpacesAreRefusedWithTheKeyNamed() {
        var e = assertThrows(ConfigException.class, () -> new GenomeSpace(List.of(GraphGenerator.ERDOS_RENYI), 10, 5, 1, 2,
                0.1, 0.2, 4, 2));
        assertTrue(e.getMessage().contains("search.min_nodes"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new GenomeSpace(List.of(GraphGenerator.ERDOS_RENYI), 5, 10, 1, 2,
                0.105, 0.2, 4, 2));
        assertTrue(e.getMessage().contains("multiples of 0.01"), e.getMessage());
    }
}
