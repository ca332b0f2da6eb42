package org.prunelab.pipeline.executor.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.pipeline.executor.StepGraph;

/**
 * Which chain of a step graph may start next, and what became of each: the bookkeeping of the local
 * worker pool, kept apart from its processes so that it can be tested alone. A chain starts once
 * every chain it depends on is done, and never while another chain of the same point runs (two
 * processes opening one point's tracking run at the same moment could make two). A failed chain
 * takes its dependants with it; a chain left to another process leaves its dependants to the
 * sweep's walk, which waits for nothing and records them as pending, as it always has.
 */
final class ChainSchedule {
    enum State { WAITING, RUNNING, DONE, FAILED, NOT_RUN }

    private final List<StepGraph.Chain> chains;
    private final State[] states;
    private final String[] errors;
    /** Points with a running chain: at most one chain of a point runs, so a set says it all. */
    private final java.util.Set<Integer> runningPoints = new java.util.HashSet<>();

    ChainSchedule(List<StepGraph.Chain> chains) {
        this.chains = List.copyOf(chains);
        this.states = new State[chains.size()];
        this.errors = new String[chains.size()];
        java.util.Arrays.fill(states, State.WAITING);
    }

    int size() {
        return chains.size();
    }

    StepGraph.Chain chain(int c) {
        return chains.get(c);
    }

    State state(int c) {
        return states[c];
    }

    /** The first waiting chain (graph order) that may start now, or -1. */
    int next() {
        for (int c = 0; c < chains.size(); c++) {
            if (states[c] == State.WAITING && !runningPoints.contains(chains.get(c).point()) && inputsDone(c)) {
                return c;
            }
        }
        return -1;
    }

    boolean anyRunning() {
        return !runningPoints.isEmpty();
    }

    void started(int c) {
        expect(c, State.WAITING);
        states[c] = State.RUNNING;
        runningPoints.add(chains.get(c).point());
    }

    void done(int c) {
        finish(c, State.DONE);
    }

    void failed(int c, String error) {
        finish(c, State.FAILED);
        errors[c] = error;
        skipDependants();
    }

    /** Another process holds one of its steps: neither done nor failed; the walk will see. */
    void leftToOtherProcess(int c) {
        finish(c, State.NOT_RUN);
        skipDependants();
    }

    /** No worker can run anything: every waiting chain is not run, for {@code reason}. */
    void abandonWaiting(String reason) {
        for (int c = 0; c < chains.size(); c++) {
            if (states[c] == State.WAITING) {
                states[c] = State.NOT_RUN;
                errors[c] = "not run: " + reason;
            }
        }
    }

    /** The error of every step that failed or was not run because of a failure, by identity hash. */
    Map<String, String> failures() {
        Map<String, String> byStep = new LinkedHashMap<>();
        for (int c = 0; c < chains.size(); c++) {
            if (errors[c] != null) {
                for (StepGraph.Node node : chains.get(c).nodes()) {
                    byStep.put(node.hash(), errors[c]);
                }
            }
        }
        return byStep;
    }

    /**
     * Graph order is topological, so one forward pass reaches every transitive dependant. A dependant
     * of a failure carries the failure; a dependant of a chain left to another process carries nothing.
     */
    private void skipDependants() {
        for (int c = 0; c < chains.size(); c++) {
            if (states[c] != State.WAITING) {
                continue;
            }
            for (int d : chains.get(c).dependsOn()) {
                if (states[d] == State.FAILED || states[d] == State.NOT_RUN) {
                    states[c] = State.NOT_RUN;
                    errors[c] = states[d] == State.NOT_RUN ? errors[d] : "not run: its input step '"
                            + chains.get(d).last().step() + "' (" + chains.get(d).last().shortId() + ") failed: "
                            + errors[d];
                    break;
                }
            }
        }
    }

    private boolean inputsDone(int c) {
        for (int d : chains.get(c).dependsOn()) {
            if (states[d] != State.DONE) {
                return false;
            }
        }
        return true;
    }

    private void finish(int c, State state) {
        expect(c, State.RUNNING);
        states[c] = state;
        runningPoints.remove(chains.get(c).point());
    }

    private void expect(int c, State state) {
        if (states[c] != state) {
            throw new IllegalStateException("chain " + c + " is " + states[c] + ", not " + state);
        }
    }
}
