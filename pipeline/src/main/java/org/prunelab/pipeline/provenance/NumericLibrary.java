package org.prunelab.pipeline.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Third-party code that does prunelab's arithmetic. Its bytecode is not fingerprinted (it is not
 * ours and is large) but its version is: a step whose code reaches one of these libraries gets the
 * library's version into its code fingerprint, so upgrading EJML invalidates exactly the numeric
 * steps. A new numeric backend is one more line in {@link #ALL}.
 *
 * @param name          group:artifact as shown in fingerprints and manifests
 * @param packagePrefix internal-name prefix of the library's classes, e.g. {@code org/ejml/}
 * @param versionClass  a class of the library holding its version in a static String field, or null
 * @param versionField  that field
 * @param pomProperties the {@code META-INF/maven/.../pom.properties} resource to read instead, or null
 */
public record NumericLibrary(String name, String packagePrefix, String versionClass, String versionField,
                               String pomProperties) {

    /**
     * EJML's jars carry no Maven metadata (Gradle build), but every release has {@code EjmlVersion}.
     * The GEMM backends (stages/.../linalg): netlib's BLAS (JNI and pure-Java paths) and the
     * OpenBLAS JavaCPP ships, both with Maven metadata.
     */
    public static final List<NumericLibrary> ALL = List.of(
            new NumericLibrary("org.ejml:ejml", "org/ejml/", "org.ejml.EjmlVersion", "VERSION", null),
            new NumericLibrary("dev.ludovic.netlib:blas", "dev/ludovic/netlib/", null, null,
                    "META-INF/maven/dev.ludovic.netlib/blas/pom.properties"),
            new NumericLibrary("org.bytedeco:openblas", "org/bytedeco/openblas/", null, null,
                    "META-INF/maven/org.bytedeco/openblas/pom.properties"));

    /** The library whose classes {@code internalName} belongs to, if it is one of {@link #ALL}. */
    public static Optional<NumericLibrary> owning(String internalName) {
        return ALL.stream().filter(l -> internalName.startsWith(l.packagePrefix())).findFirst();
    }

    /** The version on {@code loader}'s classpath; refuses to guess when it cannot be read. */
    public String version(ClassLoader loader) {
        try {
            if (versionClass != null) {
                Object v = Class.forName(versionClass, false, loader).getField(versionField).get(null);
                return String.valueOf(v);
            }
            try (InputStream in = loader.getResourceAsStream(pomProperties)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null) {
                        return v;
                    }
                }
            }
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            throw new IllegalStateException("cannot tell the version of " + name + " on the classpath: " + e, e);
        }
        throw new IllegalStateException("cannot tell the version of " + name + ": no " + pomProperties + " on the classpath");
    }
}
