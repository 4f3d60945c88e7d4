package org.datasandbox.sample.release;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one masked release of a table showed, enough to decide whether a later release under the same keys
 * would narrow anyone: no value, only public facts (versions, the selection's share, masks and levels).
 *
 * @param dataVersions content hashes of the table and of the linked tables its people were chosen after
 * @param policyVersion the table policy's version, for the ledger
 * @param fraction the share of people selected (a larger share under the same key selects a superset)
 * @param stratifyBy the stratification column of the selection, empty for none
 * @param shown every column served, by name
 */
public record MaskedRelease(java.util.List<String> dataVersions, int policyVersion, double fraction, String stratifyBy,
                            Map<String, ShownColumn> shown) {

    public MaskedRelease {
        dataVersions = java.util.List.copyOf(dataVersions);
        Objects.requireNonNull(stratifyBy, "stratifyBy");
        shown = java.util.Collections.unmodifiableMap(new TreeMap<>(shown));
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]. Provided value: " + fraction);
        }
    }
}
