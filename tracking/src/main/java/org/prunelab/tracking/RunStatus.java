package org.prunelab.tracking;

public enum RunStatus { RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
