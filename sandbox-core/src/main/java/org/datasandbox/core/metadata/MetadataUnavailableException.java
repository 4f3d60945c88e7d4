package org.datasandbox.core.metadata;

import java.io.IOException;

/**
 * The metadata database cannot be reached, opened or migrated. The message is a fixed text with the SQLSTATE: the
 * driver's own message names the host and may name the user, so it is not carried.
 */
public final class MetadataUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    MetadataUnavailableException(String message) {
        super(message);
    }
}
