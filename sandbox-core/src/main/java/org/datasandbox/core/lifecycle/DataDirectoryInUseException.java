package org.datasandbox.core.lifecycle;

import java.nio.file.Path;

/** Another sandbox (in this process or another) holds the data directory: the open is refused. */
public final class DataDirectoryInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DataDirectoryInUseException(Path dataDir) {
        super("The data directory " + dataDir + " is in use by another sandbox or server: one owner per data "
                + "directory; stop the other first");
    }
}
