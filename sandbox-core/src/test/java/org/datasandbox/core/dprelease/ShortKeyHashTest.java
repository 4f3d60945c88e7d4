package org.datasandbox.core.dprelease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.Platform;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The word-wise hash against Spark's own XXH64 over the same bytes in memory: every length, random bytes and seeds. */
class ShortKeyHashTest {
    @Test
    void xxhash64_everyLengthUpToEight_equalsSparkOverTheBytes() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "Spark reads native order");
        SplittableRandom random = new SplittableRandom(26);
        for (int length = 0; length <= Long.BYTES; length++) {
            for (int i = 0; i < 2_000; i++) {
                byte[] bytes = new byte[length];
                long word = 0;
                for (int b = 0; b < length; b++) {
                    bytes[b] = (byte) random.nextInt(256);
                    word |= (bytes[b] & 0xFFL) << (Byte.SIZE * b);
                }
                long seed = i % 3 == 0 ? 42 : random.nextLong();
                assertThat(ShortKeyHash.xxhash64(word, length, seed)).as("length %d", length)
                        .isEqualTo(XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, length, seed));
            }
        }
    }
}
