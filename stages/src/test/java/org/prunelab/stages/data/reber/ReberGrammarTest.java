package org.prunelab.stages.data.reber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReberGrammarTest {

    @Test
    void acceptsHandTracedStringsAndRejectsNearMisses() {
        assertTrue(ReberGrammar.accepts("BTXSE"));            // s1 T s2 X s4 S s6 E
        assertTrue(ReberGrammar.accepts("BPVVE"));            // s1 P s3 V s5 V s6 E
        assertTrue(ReberGrammar.accepts("BTSSXXTVPSE"));      // s2 loops, s4 X s3, s3 V s5 P s4 S s6
        assertFalse(ReberGrammar.accepts("BTXSEE"));          // symbol after the end
        assertFalse(ReberGrammar.accepts("BTXS"));            // no final E
        assertFalse(ReberGrammar.accepts("TXSE"));            // no leading B
        assertFalse(ReberGrammar.accepts("BTVSE"));           // s2 has no V
        assertFalse(ReberGrammar.accepts("BTXAE"));           // foreign letter
        assertFalse(ReberGrammar.accepts(""));
    }

    @Test
    void everyGeneratedStringIsAcceptedAndLongerThanTheMinimum() {
        SplittableRandom rng = new SplittableRandom(7);
        int shortest = Integer.MAX_VALUE;
        for (int i = 0; i < 5_000; i++) {
            String s = ReberGrammar.generate(rng, 10);
            assertTrue(ReberGrammar.accepts(s), s);
            assertTrue(s.length() > 10, s);
            shortest = Math.min(shortest, s.length());
        }
        assertEquals(11, shortest, "with minimum length 10 the shortest strings have 11 symbols");
    }

    @Test
    void everyInvalidStringIsRejectedFramedByBAndEAndOfItsKind() {
        SplittableRandom rng = new SplittableRandom(11);
        for (InvalidReberStrings.Kind kind : InvalidReberStrings.Kind.values()) {
            for (int i = 0; i < 3_000; i++) {
                String s = InvalidReberStrings.generate(kind, rng, 10, 0.15);
                assertFalse(ReberGrammar.accepts(s), s);
                assertEquals('B', s.charAt(0), s);
                assertEquals('E', s.charAt(s.length() - 1), s);
                assertTrue(s.length() > 10, s);
                assertTrue(InvalidReberStrings.isOfKind(s, kind), kind + ": " + s);
            }
        }
    }
}
