package org.datasandbox.core;

import java.util.Map;
import java.util.Objects;

/**
 * The one exception type that crosses module boundaries. Its message is safe to show to the caller:
 * it names tables, columns, rules and positions, never a data value, key or stack trace. Causes are
 * deliberately not attached, so nothing from Spark or a parser can travel with it.
 *
 * @param details machine-readable facts for clients (rule id, line, column), also free of data values
 */
public final class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, String> details;

    public SandboxException(ErrorCode code, String message, Map<String, String> details) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Map.copyOf(details);
    }

    public SandboxException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }

    public static SandboxException invalid(String message) {
        return new SandboxException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static SandboxException notFound(String what) {
        return new SandboxException(ErrorCode.NOT_FOUND, what + " not found");
    }

    /** Fixed prefix, so clients and tests can rely on it. */
    public static SandboxException accessDenied(String message) {
        return new SandboxException(ErrorCode.PERMISSION_DENIED, "Access denied: " + message);
    }

    public static SandboxException internal(String reference) {
        return new SandboxException(ErrorCode.INTERNAL, "Internal error (reference " + reference + ")");
    }
}
