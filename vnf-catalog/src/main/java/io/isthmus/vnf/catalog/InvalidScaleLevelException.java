package io.isthmus.vnf.catalog;

/**
 * A size that the VNF package does not allow: an aspect it does not declare, a level outside 0 to the aspect's
 * {@code max_scale_level}, or an instantiation level it does not declare. Thrown by
 * {@link VnfPackage#vduInstances(java.util.Map)}, {@link VnfPackage#initialScaleLevels(String)} and
 * {@link ScalingAspect#checkLevel(int)}; the message says which, fit for the {@code detail} of a ProblemDetails.
 */
public final class InvalidScaleLevelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidScaleLevelException(String message) {
        super(message);
    }
}
