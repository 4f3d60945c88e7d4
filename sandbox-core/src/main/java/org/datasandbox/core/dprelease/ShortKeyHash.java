package org.datasandbox.core.dprelease;

/**
 * Spark's {@code xxhash64} of a string of at most 8 bytes given as one little-endian word: the arithmetic of
 * {@code XXH64.hashUnsafeBytes} for such a length (no 32-byte stripes: a word when 8 bytes, else an int when 4 or
 * more, then a byte at a time, then the finalizer), without reading the bytes from memory one by one. The pass
 * keeps short keys packed ({@link UnitBoundingPass}) and hashes them from the word; equal to Spark's on a
 * little-endian machine only (Spark reads native order), which is where the pass calls it.
 */
final class ShortKeyHash {
    private static final long PRIME1 = 0x9E3779B185EBCA87L;
    private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME3 = 0x165667B19E3779F9L;
    private static final long PRIME4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME5 = 0x27D4EB2F165667C5L;

    private ShortKeyHash() {
    }

    /** {@code xxhash64} with {@code seed} of the {@code length} (0 to 8) low bytes of {@code word}, lowest first. */
    static long xxhash64(long word, int length, long seed) {
        long hash = seed + PRIME5 + length;
        int left = length;
        if (left == Long.BYTES) {
            hash ^= Long.rotateLeft(word * PRIME2, 31) * PRIME1;
            hash = Long.rotateLeft(hash, 27) * PRIME1 + PRIME4;
            left = 0;
        } else if (left >= Integer.BYTES) {
            hash ^= (word & 0xFFFFFFFFL) * PRIME1;
            hash = Long.rotateLeft(hash, 23) * PRIME2 + PRIME3;
            word >>>= Integer.SIZE;
            left -= Integer.BYTES;
        }
        for (; left > 0; left--) {
            hash ^= (word & 0xFFL) * PRIME5;
            hash = Long.rotateLeft(hash, 11) * PRIME1;
            word >>>= Byte.SIZE;
        }
        hash ^= hash >>> 33;
        hash *= PRIME2;
        hash ^= hash >>> 29;
        hash *= PRIME3;
        hash ^= hash >>> 32;
        return hash;
    }
}
