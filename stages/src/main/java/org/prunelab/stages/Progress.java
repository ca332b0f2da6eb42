package org.prunelab.stages;

/** Progress reporting for long loops. */
public interface Progress {

    /** Starts a task of {@code total} units, of which {@code done} are already complete (resume). */
    Task start(String name, long total, long done);

    /**
     * A one-line notice for the user (a resume point, an early stop), shown at once. Stages never
     * print to stdout themselves: this is their only channel besides metrics and files.
     */
    default void log(String line) {
    }

    /**
     * Ends a progress line drawn in place, so that whatever the caller prints next starts on a line
     * of its own instead of being glued to it and then wiped by the next redraw.
     */
    default void endLine() {
    }

    interface Task extends AutoCloseable {
        void step(long units);

        void message(String text);

        @Override
        void close();
    }

    Progress SILENT = (name, total, done) -> new Task() {
        @Override public void step(long units) { }
        @Override public void message(String text) { }
        @Override public void close() { }
    };
}
