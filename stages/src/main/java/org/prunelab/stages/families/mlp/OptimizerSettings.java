package org.prunelab.stages.families.mlp;

/**
 * Optimiser hyper-parameters apart from the learning rate (which a schedule changes between
 * epochs). {@code sgd}: PyTorch SGD, v = μ·v + g, w −= lr·v (no dampening, no Nesterov, no weight
 * decay; μ = 0 is plain SGD). {@code adam}: PyTorch Adam (no AMSGrad, no weight decay).
 */
public record OptimizerSettings(String optimizer, double momentum, double beta1, double beta2, double epsilon) {
    public OptimizerSettings {
        if (!"sgd".equals(optimizer) && !"adam".equals(optimizer)) {
            throw new IllegalArgumentException("optimizer must be \"sgd\" or \"adam\", got " + optimizer);
        }
        if (!(momentum >= 0.0 && momentum < 1.0) || !(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)
                || !(epsilon > 0.0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("need 0 <= momentum, beta1, beta2 < 1 and epsilon > 0, got momentum "
                    + momentum + ", betas " + beta1 + "/" + beta2 + ", epsilon " + epsilon);
        }
    }

    public static OptimizerSettings sgd(double momentum) {
        return new OptimizerSettings("sgd", momentum, 0.9, 0.999, 1e-8);
    }

    public static OptimizerSettings adam(double beta1, double beta2, double epsilon) {
        return new OptimizerSettings("adam", 0.0, beta1, beta2, epsilon);
    }

    public boolean adam() {
        return "adam".equals(optimizer);
    }

    /** Same optimiser with another SGD momentum (the plateau rule's fresh SGD with momentum 0.5). */
    public OptimizerSettings withMomentum(double m) {
        return new OptimizerSettings(optimizer, m, beta1, beta2, epsilon);
    }
}
