package org.datasandbox.core.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims job ids, so that no two jobs share one: within this server by default, across every server sharing the
 * metadata database with {@code metadata.PostgresJobIds}.
 */
public interface JobIds {

    /** Whether the id was free; it is taken from now on. */
    boolean claim(String jobId);

    /** Ids claimed in this process only (one server on its data directory). */
    static JobIds inProcess() {
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        return claimed::add;
    }
}
