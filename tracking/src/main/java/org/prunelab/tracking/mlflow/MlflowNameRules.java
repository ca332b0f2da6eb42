package org.prunelab.tracking.mlflow;

import org.prunelab.tracking.TrackingNames;

/** MLflow's rules for names and values ({@link MlflowNames}, {@link ArtifactPaths}) behind the tracker-neutral interface. */
final class MlflowNameRules implements TrackingNames {
    static final MlflowNameRules INSTANCE = new MlflowNameRules();

    private MlflowNameRules() {
    }

    @Override
    public void validateParam(String key, String value) {
        MlflowNames.validateParam(key, value);
    }

    @Override
    public void validateTag(String key, String value) {
        MlflowNames.validateTag(key, value);
    }

    @Override
    public void validateTagKey(String key) {
        MlflowNames.validateKey("tag", key);
    }

    @Override
    public void validateMetricKey(String key) {
        MlflowNames.validateKey("metric", key);
    }

    @Override
    public void validateSearchableTagValue(String key, String value) {
        if (value.contains("'") && value.contains("\"")) {
            throw new IllegalArgumentException("tag '" + key + "': value contains both ' and \", which an MLflow search "
                    + "filter cannot express");
        }
    }

    @Override
    public void validateArtifactDir(String artifactDir) {
        ArtifactPaths.segments(artifactDir);
    }

    @Override
    public void validateArtifactFile(String artifactDir, String fileName) {
        ArtifactPaths.join(artifactDir, fileName);
    }
}
