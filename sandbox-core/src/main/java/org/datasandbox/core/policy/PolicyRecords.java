package org.datasandbox.core.policy;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where applied policy documents are kept, every version as the admin wrote it: files under the data
 * directory ({@link FilePolicyRecords}) or a database shared by several servers ({@code
 * metadata.PostgresPolicyRecords}). Versions of one name are numbered 1, 2, ... without gaps or duplicates, also
 * when two servers apply at once. {@link #generation} changes with every write, so that a reader can tell
 * cheaply whether what it holds is still current.
 */
public interface PolicyRecords {

    /** The two kinds of policy document. */
    enum Kind { TABLE, SCENARIO }

    /** The newest version of one name, with the end of its term (scenarios) and whether it was ended. */
    record Stored(String name, int version, String text, Optional<LocalDate> term, boolean ended) {
        public Stored {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(term, "term");
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1. Provided value: " + version);
            }
        }
    }

    /** Stores the next version of a name, with its term (null for table policies); returns its number. */
    int append(Kind kind, String name, String text, LocalDate term) throws IOException;

    /** The newest version of every name of a kind. */
    List<Stored> latest(Kind kind) throws IOException;

    /** Sets (or replaces) the end of a scenario version's term. */
    void term(String scenario, int version, LocalDate end) throws IOException;

    /** Marks a scenario's authorization as ended, for good. */
    void end(String scenario, LocalDate end) throws IOException;

    /** A number that changes with every write by anyone sharing the records; constant where no one else writes. */
    long generation() throws IOException;
}
