package org.datasandbox.masking;

/**
 * A masking specification that cannot be honoured: unknown function, bad parameter, wrong column type.
 * Messages name functions, parameters and types, never a data value.
 */
public final class MaskingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MaskingException(String message) {
        super(message);
    }
}
