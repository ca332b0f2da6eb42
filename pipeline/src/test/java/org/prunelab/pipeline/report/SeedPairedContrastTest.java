package org.prunelab.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedPairedContrastTest {
    private static Map<String, Object> row(String variant, double x, int seed, double pll) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("variant", variant);
        r.put("sparsity", x);
        r.put("seed", seed);
        r.put("test_pll", pll);
        return r;
    }

    /** a@0.9 − b@0.9 per seed is delta + the seed's jitter; the seed effect itself (10·seed) cancels. */
    private static List<Map<String, Object>> rows(double delta, double jitter) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            double seedEffect = 10.0 * seed;
            rows.add(row("a", 0.9, seed, -170 + seedEffect + delta + (seed % 2 == 0 ? jitter : -jitter)));
            rows.add(row("b", 0.9, seed, -170 + seedEffect));
        }
        return rows;
    }

    @Test
    void pairingRemovesTheSeedEffectAndTheVerdictFollowsTheInterval() {
        SeedPairedContrast c = SeedPairedContrast.parseAll("report.claims", "C5: test_pll: a@0.9 - b@0.9 > 0").get(0);
        SeedPairedContrast.Outcome up = c.evaluate(rows(3, 0.5), "sparsity", "variant");
        assertEquals(5, up.pairs());
        assertEquals(3.0 - 0.1, up.mean(), 1e-9); // jitter −0.5,+0.5,−0.5,+0.5,−0.5
        assertTrue(up.low() > 0 && up.high() < 4, up.summary());
        assertEquals("reproduced", up.verdict());
        assertEquals("not reproduced", c.evaluate(rows(-3, 0.5), "sparsity", "variant").verdict());
        assertEquals("inconclusive", c.evaluate(rows(0.2, 2), "sparsity", "variant").verdict());
    }

    @Test
    void lessThanMirrorsAndMarginsCount() {
        SeedPairedContrast c = SeedPairedContrast.parseAll("k", "C2 drop: test_pll: a@0.9 - b@0.9 < -1").get(0);
        assertEquals("reproduced", c.evaluate(rows(-3, 0.5), "sparsity", "variant").verdict());
        assertEquals("not reproduced", c.evaluate(rows(0, 0.5), "sparsity", "variant").verdict());
    }

    @Test
    void equivalenceNeedsTheWholeIntervalInsideTheMargin() {
        SeedPairedContrast c = SeedPairedContrast.parseAll("k", "null: test_pll: a@0.9 - b@0.9 ~ 2").get(0);
        assertEquals("reproduced", c.evaluate(rows(0.3, 0.2), "sparsity", "variant").verdict());
        assertEquals("not reproduced", c.evaluate(rows(5, 0.2), "sparsity", "variant").verdict());
        assertEquals("inconclusive", c.evaluate(rows(1.5, 3), "sparsity", "variant").verdict());
    }

    @Test
    void unpairedSeedsAreLeftOutAndOnePairIsInconclusive() {
        List<Map<String, Object>> rows = new ArrayList<>(List.of(row("a", 0.9, 1, -160), row("b", 0.9, 1, -170),
                row("a", 0.9, 2, -160)));
        SeedPairedContrast.Outcome o = SeedPairedContrast.parseAll("k", "x: test_pll: a@0.9 - b@0.9 > 0").get(0)
                .evaluate(rows, "sparsity", "variant");
        assertEquals(1, o.pairs());
        assertEquals("inconclusive", o.verdict());
    }

    @Test
    void aMalformedClaimNamesTheKeyAndTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedPairedContrast.parseAll("report.claims", "C2: test_pll: random@0.8 random@0 > -5"));
        assertTrue(e.getMessage().contains("report.claims") && e.getMessage().contains("random@0.8 random@0"),
                e.getMessage());
    }
}
