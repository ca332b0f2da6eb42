package org.prunelab.stages.data.reber;

import java.util.SplittableRandom;

/**
 * The standard (not embedded) Reber automaton over {B,T,S,X,P,V,E}. A string starts with B, then
 * walks the transition table below with every branch equally likely, and ends with E:
 *
 * <pre>
 *   s1 (after B): T → s2, P → s3        s4: X → s3, S → s6
 *   s2:           S → s2, X → s4        s5: P → s4, V → s6
 *   s3:           T → s3, V → s5        s6: E → end
 * </pre>
 *
 * The same table generates valid strings and decides membership, so "generated strings are
 * accepted" is checked against one definition, not two.
 */
public final class ReberGrammar {
    /** The seven letters of the grammar; anything else in a string is a foreign letter. */
    public static final String ALPHABET = "BTSXPVE";

    private static final int END = 7;
    /** SYMBOL[state][branch] and NEXT[state][branch] for states 1..6 (index 0 unused). */
    private static final char[][] SYMBOL = {
        {}, {'T', 'P'}, {'S', 'X'}, {'T', 'V'}, {'X', 'S'}, {'P', 'V'}, {'E'}};
    private static final int[][] NEXT = {
        {}, {2, 3}, {2, 4}, {3, 5}, {3, 6}, {4, 6}, {END}};

    private ReberGrammar() {
    }

    /**
     * One valid string, regenerated until it is longer than {@code minLength} symbols (with the
     * default 10 the shortest string has 11 symbols, as in the authors' data).
     */
    public static String generate(SplittableRandom rng, int minLength) {
        while (true) {
            String s = walk(rng);
            if (s.length() > minLength) {
                return s;
            }
        }
    }

    private static String walk(SplittableRandom rng) {
        StringBuilder s = new StringBuilder("B");
        int state = 1;
        while (state != END) {
            int branch = rng.nextInt(SYMBOL[state].length);
            s.append(SYMBOL[state][branch]);
            state = NEXT[state][branch];
        }
        return s.toString();
    }

    /** True exactly when the automaton accepts {@code s} (starts with B, legal walk, ends after E). */
    public static boolean accepts(String s) {
        if (s.isEmpty() || s.charAt(0) != 'B') {
            return false;
        }
        int state = 1;
        for (int i = 1; i < s.length(); i++) {
            if (state == END) {
                return false;          // symbols after the final E
            }
            state = next(state, s.charAt(i));
            if (state < 0) {
                return false;
            }
        }
        return state == END;
    }

    /** The state after reading {@code c} in {@code state}, or −1 if the transition does not exist. */
    static int next(int state, char c) {
        for (int b = 0; b < SYMBOL[state].length; b++) {
            if (SYMBOL[state][b] == c) {
                return NEXT[state][b];
            }
        }
        return -1;
    }

    /** The letters that may legally follow {@code state} (1..6). */
    static char[] legal(int state) {
        return SYMBOL[state].clone();
    }

    /** A state drawn uniformly from 1..6: where a corrupted walk continues. */
    static int randomState(SplittableRandom rng) {
        return 1 + rng.nextInt(6);
    }

    static int successor(int state, int branch) {
        return NEXT[state][branch];
    }

    static int branches(int state) {
        return SYMBOL[state].length;
    }

    static char symbol(int state, int branch) {
        return SYMBOL[state][branch];
    }

    static boolean isEnd(int state) {
        return state == END;
    }
}
