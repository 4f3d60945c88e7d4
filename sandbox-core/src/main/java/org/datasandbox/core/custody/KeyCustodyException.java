package org.datasandbox.core.custody;

import java.io.IOException;

/** The sandbox cannot get at its keys; the message says what the operator must do. Never names key material. */
public final class KeyCustodyException extends IOException {
    public KeyCustodyException(String message) {
        super(message);
    }

    public KeyCustodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
