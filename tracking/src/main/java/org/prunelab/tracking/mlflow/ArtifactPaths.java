package org.prunelab.tracking.mlflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Relative artifact paths: checked locally (a path is joined into a URL and, on the server, into a
 * file system path, so traversal must never reach the wire) and URL-encoded one segment at a time.
 */
public final class ArtifactPaths {
    private ArtifactPaths() { }

    /**
     * Splits a relative path ("" or null = root) into validated segments. Rejects '..', '.',
     * absolute paths, empty segments (double or trailing '/'), backslashes and control characters.
     */
    public static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path == null || path.isEmpty()) {
            return out;
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("artifact path '" + printable(path) + "' is absolute; use a path relative to the run's artifact root");
        }
        if (path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("artifact path '" + printable(path) + "' contains a backslash; use '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("artifact path '" + printable(path) + "' contains a control character");
            }
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw new IllegalArgumentException("artifact path '" + printable(path) + "' looks like a drive path");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("artifact path '" + printable(path) + "' has an empty segment");
            }
            if (seg.equals("..") || seg.equals(".")) {
                throw new IllegalArgumentException("artifact path '" + printable(path) + "' contains '" + seg + "' (path traversal)");
            }
            out.add(seg);
        }
        return out;
    }

    /** Validated and re-joined with '/'. */
    public static String normalize(String path) {
        return String.join("/", segments(path));
    }

    /** Joins relative paths, validating each; empty parts are skipped. */
    public static String join(String... parts) {
        List<String> all = new ArrayList<>();
        for (String p : parts) {
            all.addAll(segments(p));
        }
        return String.join("/", all);
    }

    /** Each segment percent-encoded (space as %20, not '+'), separated by literal '/'. */
    public static String encode(List<String> segments) {
        List<String> enc = new ArrayList<>(segments.size());
        for (String s : segments) {
            enc.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", enc);
    }

    /** Encodes a query parameter value. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
