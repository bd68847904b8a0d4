package io.cocoplane.attestation.core;

/**
 * An appraisal policy document is not acceptable: not JSON, an unknown member, a CEL expression that does not compile,
 * an unknown AR4SI claim, a value outside −128…127, or a size/count limit of {@link CelPolicy} exceeded.
 */
public class PolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public PolicyException(String message) {
        super(message);
    }
}
