package org.datasandbox.guard.catalog;

import java.util.List;
import java.util.Optional;

/** What the guard needs to know about the data: implemented by the runtime from its policies. */
public interface GuardCatalog {

    /** The table with this name (case-insensitive), if it exists and has a policy. */
    Optional<GuardTable> table(String name);

    /** Every declared join key. */
    List<JoinKey> joinKeys();
}
