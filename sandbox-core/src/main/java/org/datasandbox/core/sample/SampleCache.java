package org.datasandbox.core.sample;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.Optional;
import org.datasandbox.core.config.SandboxConfig;

/**
 * One of the sample service's caches, bounded by the configuration: at most
 * {@link SandboxConfig.Limits#maxCachedSamples()} entries (the least recently used go first) and none
 * unused for longer than {@link SandboxConfig.Limits#sampleCacheIdle()}. What it drops is made again, the
 * same way, when next asked for: it bounds memory, never what a caller gets.
 */
final class SampleCache<K, V> {
    private final Cache<K, V> entries;

    SampleCache(SandboxConfig.Limits limits, Ticker ticker) {
        this.entries = CacheBuilder.newBuilder().concurrencyLevel(1).maximumSize(limits.maxCachedSamples())
                .expireAfterAccess(limits.sampleCacheIdle()).ticker(ticker).build();
    }

    Optional<V> get(K key) {
        return Optional.ofNullable(entries.getIfPresent(key));
    }

    void put(K key, V value) {
        entries.put(key, value);
    }

    /** Entries held now, after dropping the expired ones. */
    void remove(K key) {
        entries.invalidate(key);
    }

    long size() {
        entries.cleanUp();
        return entries.size();
    }
}
