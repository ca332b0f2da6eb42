package org.prunelab.pipeline.track;

/** How a run ended: done, failed with an error, or stopped by a signal (SIGTERM, Ctrl-C). */
public enum Outcome { FINISHED, FAILED, KILLED }
