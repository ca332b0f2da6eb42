package org.prunelab.stages.linalg;

/**
 * Picks a {@link GemmBackend} once per process and says which in one line on stderr, so a log
 * always shows whether a run had native BLAS. Loading native code is slow (the first run extracts
 * the library) and must happen once, hence the holders.
 */
final class Backends {

    private Backends() {
    }

    private static final class NativeHolder {
        static final GemmBackend NATIVE;
        static final String FAILURE;

        static {
            GemmBackend loaded = null;
            String failure = null;
            try {
                loaded = OpenBlasBackend.load();
            } catch (IllegalStateException e) {
                failure = e.getMessage();
            }
            NATIVE = loaded;
            FAILURE = failure;
        }
    }

    private static final class JavaHolder {
        static final GemmBackend JAVA = JavaBlasBackend.fastest();
    }

    private static final java.util.Set<String> ANNOUNCED = new java.util.HashSet<>();

    static GemmBackend select(BackendChoice choice) {
        GemmBackend chosen;
        String why;
        switch (choice) {
            case JAVA:
                chosen = JavaHolder.JAVA;
                why = "pure Java forced (" + BackendChoice.PROPERTY + " / " + BackendChoice.ENV + ")";
                break;
            case NATIVE:
                if (NativeHolder.NATIVE == null) {
                    throw new IllegalStateException("linalg backend \"native\" was asked for but OpenBLAS did not load: "
                            + NativeHolder.FAILURE);
                }
                chosen = NativeHolder.NATIVE;
                why = "native";
                break;
            default:
                chosen = NativeHolder.NATIVE != null ? NativeHolder.NATIVE : JavaHolder.JAVA;
                why = NativeHolder.NATIVE != null ? "native" : "native BLAS unavailable (" + NativeHolder.FAILURE + ")";
                break;
        }
        announce(chosen, why);
        return chosen;
    }

    private static synchronized void announce(GemmBackend backend, String why) {
        if (ANNOUNCED.add(backend.name())) {
            System.err.println("linalg: GEMM backend " + backend.name() + " — " + backend.detail() + "; " + why);
        }
    }
}
