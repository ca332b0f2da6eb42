package org.prunelab.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.prunelab.tracking.TrackingClient.ArtifactEntry;
import org.prunelab.tracking.TrackingException;

/**
 * A run's artifacts through MLflow's artifact proxy ({@code --serve-artifacts}): uploads, listing and
 * downloads over plain HTTP, so no Python and no storage credentials are needed on the client. Each
 * run's root under the proxy is looked up once and cached (it never changes).
 */
final class ArtifactProxy {
    private static final String API = "/api/2.0/mlflow/";
    static final String ARTIFACT_PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    private final RestCaller rest;
    private final Function<String, String> artifactUri;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<String>> artifactRoots = new ConcurrentHashMap<>();

    /** @param artifactUri the run's {@code artifact_uri} as the server reports it */
    ArtifactProxy(RestCaller rest, Function<String, String> artifactUri) {
        this.rest = rest;
        this.artifactUri = artifactUri;
    }

    void upload(String runId, Path localFile, String artifactDir) {
        if (!Files.isRegularFile(localFile)) {
            throw new IllegalArgumentException("not a regular file: " + localFile);
        }
        String name = localFile.getFileName().toString();
        List<String> relative = new ArrayList<>(ArtifactPaths.segments(artifactDir)); // validate before any I/O
        relative.addAll(ArtifactPaths.segments(name));
        List<String> target = new ArrayList<>(artifactRoot(runId));
        target.addAll(relative);
        rest.putFile("upload artifact " + ArtifactPaths.join(artifactDir, name) + " to run " + runId,
                ARTIFACT_PROXY + ArtifactPaths.encode(target), localFile);
    }

    /** Regular files only; symbolic links (to files or directories) are skipped, not followed. */
    void uploadDirectory(String runId, Path localDir, String artifactDir) {
        if (!Files.isDirectory(localDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("not a directory: " + localDir);
        }
        ArtifactPaths.segments(artifactDir);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(localDir)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + localDir, e);
        }
        for (Path f : files) {
            Path relDir = localDir.relativize(f).getParent();
            String sub = relDir == null ? "" : relDir.toString().replace(f.getFileSystem().getSeparator(), "/");
            upload(runId, f, ArtifactPaths.join(artifactDir, sub));
        }
    }

    /** Entries' paths are relative to the run's artifact root (as MLflow reports them). */
    List<ArtifactEntry> list(String runId, String path) {
        String p = ArtifactPaths.normalize(path);
        String q = API + "artifacts/list?run_id=" + ArtifactPaths.query(runId) + (p.isEmpty() ? "" : "&path=" + ArtifactPaths.query(p));
        JsonNode res = parse(rest.getText("list artifacts of run " + runId, q));
        List<ArtifactEntry> out = new ArrayList<>();
        for (JsonNode f : res.path("files")) {
            out.add(new ArtifactEntry(f.path("path").asText(), f.path("is_dir").asBoolean(false), MetricJson.readLong(f.get("file_size"))));
        }
        return out;
    }

    /** Downloads through the artifact proxy, the same route uploads use. */
    byte[] download(String runId, String path) {
        List<String> segs = ArtifactPaths.segments(path);
        if (segs.isEmpty()) {
            throw new IllegalArgumentException("artifact path is empty");
        }
        List<String> target = new ArrayList<>(artifactRoot(runId));
        target.addAll(segs);
        return rest.getBytes("download artifact " + path + " of run " + runId, ARTIFACT_PROXY + ArtifactPaths.encode(target));
    }

    /** The run's root under the artifact proxy, e.g. [1, runId, artifacts]; cached (it never changes). */
    List<String> artifactRoot(String runId) {
        return artifactRoots.computeIfAbsent(runId, id -> proxyPath(id, artifactUri.apply(id)));
    }

    static List<String> proxyPath(String runId, String artifactUri) {
        String rest;
        if (artifactUri.startsWith("mlflow-artifacts:")) {
            rest = artifactUri.substring("mlflow-artifacts:".length());
            if (rest.startsWith("//")) { // mlflow-artifacts://host:port/path: drop the authority
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
        } else if ((artifactUri.startsWith("http://") || artifactUri.startsWith("https://"))
                && artifactUri.contains(ARTIFACT_PROXY)) {
            rest = artifactUri.substring(artifactUri.indexOf(ARTIFACT_PROXY) + ARTIFACT_PROXY.length());
        } else {
            throw new TrackingException("run " + runId + " has artifact_uri '" + artifactUri + "', which is not served by the "
                    + "artifact proxy; the server must run with --serve-artifacts and the default mlflow-artifacts:/ root "
                    + "(experiments created under another root keep it)", -1, false, null);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return ArtifactPaths.segments(rest);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new TrackingException("server answered with invalid JSON: " + e.getMessage(), -1, false, e);
        }
    }
}
