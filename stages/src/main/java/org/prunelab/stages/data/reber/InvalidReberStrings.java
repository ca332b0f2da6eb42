package org.prunelab.stages.data.reber;

import java.util.SplittableRandom;

/**
 * Strings that start with B and end with E but that the Reber automaton rejects, of two kinds:
 * {@link Kind#FOREIGN_LETTERS} contain letters outside {B,T,S,X,P,V,E}; {@link Kind#BROKEN_TRANSITIONS}
 * use only Reber letters but take a transition the automaton does not have.
 *
 * <p>The authors' generator is not published (their false strings came from "altered transition
 * tables"). Ours walks the automaton and, at each symbol with probability {@code corruption}, emits a
 * wrong symbol instead (a foreign letter, or a Reber letter that is illegal in the current state) and
 * continues from a uniformly drawn state. At least one symbol is always corrupted, and every result
 * is checked against {@link ReberGrammar#accepts} before it is returned, so "invalid" never depends
 * on the generator being right.
 */
public final class InvalidReberStrings {
    /** The two kinds of invalid string. */
    public enum Kind { FOREIGN_LETTERS, BROKEN_TRANSITIONS }

    /** Letters outside the grammar's alphabet (upper case, so the only cue is the letter itself). */
    static final String FOREIGN = "ACDFGHIJKLMNOQRUWYZ";
    /** Interior Reber letters (B and E stay at the ends so the frame of a string gives nothing away). */
    private static final String INTERIOR = "TSXPV";

    private InvalidReberStrings() {
    }

    /** One invalid string of {@code kind}, longer than {@code minLength}. */
    public static String generate(Kind kind, SplittableRandom rng, int minLength, double corruption) {
        if (!(corruption > 0 && corruption <= 1)) {
            throw new IllegalArgumentException("corruption probability must be in (0, 1], got " + corruption);
        }
        while (true) {
            String s = corruptedWalk(kind, rng, corruption);
            if (s.length() > minLength && !ReberGrammar.accepts(s) && isOfKind(s, kind)) {
                return s;
            }
        }
    }

    private static String corruptedWalk(Kind kind, SplittableRandom rng, double corruption) {
        StringBuilder s = new StringBuilder("B");
        int state = 1;
        boolean corrupted = false;
        while (!ReberGrammar.isEnd(state)) {
            // The final E is never replaced: an invalid string still ends with E.
            boolean last = ReberGrammar.branches(state) == 1 && ReberGrammar.isEnd(ReberGrammar.successor(state, 0));
            // Before the end, a corruption is forced if none happened, so every walk is invalid.
            boolean corrupt = last ? !corrupted : rng.nextDouble() < corruption;
            if (corrupt) {
                s.append(wrongSymbol(kind, state, rng));
                state = ReberGrammar.randomState(rng);
                corrupted = true;
                continue;
            }
            int branch = rng.nextInt(ReberGrammar.branches(state));
            s.append(ReberGrammar.symbol(state, branch));
            state = ReberGrammar.successor(state, branch);
        }
        return s.toString();
    }

    private static char wrongSymbol(Kind kind, int state, SplittableRandom rng) {
        if (kind == Kind.FOREIGN_LETTERS) {
            return FOREIGN.charAt(rng.nextInt(FOREIGN.length()));
        }
        String legal = new String(ReberGrammar.legal(state));
        StringBuilder illegal = new StringBuilder();
        for (char c : INTERIOR.toCharArray()) {
            if (legal.indexOf(c) < 0) {
                illegal.append(c);
            }
        }
        return illegal.charAt(rng.nextInt(illegal.length()));
    }

    /** Whether {@code s} has the defining property of {@code kind} (foreign letters present or absent). */
    public static boolean isOfKind(String s, Kind kind) {
        boolean foreign = false;
        for (int i = 0; i < s.length(); i++) {
            foreign |= ReberGrammar.ALPHABET.indexOf(s.charAt(i)) < 0;
        }
        return kind == Kind.FOREIGN_LETTERS ? foreign : !foreign;
    }
}
