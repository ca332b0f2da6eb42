package org.prunelab.stages.prune;

/** Hand-made curvature for tests: the arrays are returned as given (null = not provided). */
record FixedCurvature(double[][] hessian, double[][] fisher, double[][] moments) implements Curvature {
    @Override
    public double[] lossHessianDiagonal(int group) {
        return hessian[group];
    }

    @Override
    public double[] fisherDiagonal(int group) {
        return fisher[group];
    }

    @Override
    public double[] inputSecondMoment(int group) {
        return moments[group];
    }
}
