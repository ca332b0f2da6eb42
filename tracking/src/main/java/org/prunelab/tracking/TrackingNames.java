package org.prunelab.tracking;

/**
 * A tracking server's rules for names and values, checked when an operation is queued so that a
 * caller learns at once which key is wrong, and the outbox never journals an entry that can only
 * be refused. Each method throws {@link IllegalArgumentException} naming the key and the problem.
 */
public interface TrackingNames {

    void validateParam(String key, String value);

    void validateTag(String key, String value);

    void validateTagKey(String key);

    void validateMetricKey(String key);

    /** A tag value the server's run search can find (the outbox finds runs again by such a tag). */
    void validateSearchableTagValue(String key, String value);

    /** An artifact directory ("" or null = the run's artifact root). */
    void validateArtifactDir(String artifactDir);

    /** A file uploaded into an artifact directory. */
    void validateArtifactFile(String artifactDir, String fileName);
}
