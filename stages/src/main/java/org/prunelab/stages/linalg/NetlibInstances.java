package org.prunelab.stages.linalg;

import dev.ludovic.netlib.blas.BLAS;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Reaches netlib's concrete BLAS classes. They are package-private; netlib's public factories
 * ({@code BLAS.getInstance()}, {@code JavaBLAS.getInstance()}) pick for us and initialise the native
 * one as a side effect, at whatever moment comes first and with whatever library path is set then.
 * prunelab must decide itself (native only after OpenBLAS is loaded; pure Java without ever touching
 * native code when that is forced), so it calls each class's own {@code getInstance()} reflectively.
 */
final class NetlibInstances {

    private NetlibInstances() {
    }

    /**
     * @param simpleName {@code JNIBLAS}, {@code VectorBLAS} or {@code Java8BLAS}
     * @throws IllegalStateException with the reason when the class cannot be initialised here
     */
    static BLAS get(String simpleName) {
        try {
            Class<?> type = Class.forName("dev.ludovic.netlib.blas." + simpleName);
            Method getInstance = type.getMethod("getInstance");
            getInstance.setAccessible(true);
            Object instance = getInstance.invoke(null);
            if (!(instance instanceof BLAS)) {
                throw new IllegalStateException("netlib " + simpleName + ".getInstance() returned " + instance);
            }
            return (BLAS) instance;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("netlib " + simpleName + " failed to initialise: " + e.getCause(), e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("netlib " + simpleName + " is not usable here: " + e, e);
        }
    }
}
