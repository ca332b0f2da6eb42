package org.prunelab.stages.kernel;

/**
 * The double ↔ float crossings of the single-precision kernels, into buffers that are reused
 * between calls (grown, never shrunk), so a training allocates nothing per update.
 */
final class FloatConversion {
    private FloatConversion() {
    }

    /** A buffer of at least {@code length} floats: {@code buffer} itself when it is long enough. */
    static float[] atLeast(float[] buffer, int length) {
        return buffer.length >= length ? buffer : new float[length];
    }

    /** The first {@code length} values of {@code x} rounded to float (round to nearest) into {@code into}. */
    static void narrow(double[] x, int length, float[] into) {
        narrowInto(x, length, into, 0);
    }

    /** x[0..length) rounded to float into into[offset..offset+length). */
    static void narrowInto(double[] x, int length, float[] into, int offset) {
        for (int j = 0; j < length; j++) {
            into[offset + j] = (float) x[j];
        }
    }

    /** −x[0..length) rounded to float into into[offset..): negation is exact, so it commutes with the rounding. */
    static void narrowNegatedInto(double[] x, int length, float[] into, int offset) {
        for (int j = 0; j < length; j++) {
            into[offset + j] = (float) -x[j];
        }
    }

    /** out[r*width + k] = bias[k] + product[r*width + k] for n rows: the bias is added in double. */
    static void widenPlusBias(float[] product, double[] bias, int n, int width, double[] out) {
        for (int r = 0; r < n; r++) {
            int base = r * width;
            for (int k = 0; k < width; k++) {
                out[base + k] = bias[k] + product[base + k];
            }
        }
    }
}
