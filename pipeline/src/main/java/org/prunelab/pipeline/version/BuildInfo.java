package org.prunelab.pipeline.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit this jar was built from. Maven writes them into {@code build.properties}
 * at build time ({@code make build} passes the commit; a plain {@code mvn} build records "unknown"),
 * because a user running the jar may have no checkout to ask.
 */
public record BuildInfo(String version, String gitCommit, boolean dirty) {
    private static final String RESOURCE = "/org/prunelab/pipeline/version/build.properties";
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    /** True when the commit was recorded (the build ran with the git commit known). */
    public boolean knowsCommit() {
        return gitCommit.matches("[0-9a-f]{7,40}");
    }

    /** One line for {@code prunelab --version}. */
    public String describe() {
        return "prunelab " + version + " (git " + (knowsCommit() ? gitCommit + (dirty ? ", built with uncommitted changes" : "")
                : "commit unknown: built without 'make build'") + ")";
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(clean(p.getProperty("version")), clean(p.getProperty("git.commit")),
                "true".equals(p.getProperty("git.dirty")));
    }

    /** An unfiltered placeholder ("${...}") means Maven did not know the value. */
    private static String clean(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}
