package org.datasandbox.core.review;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Opaque keys for privacy units in the release history: an HMAC under a key drawn when the sandbox starts and
 * never stored, so the history holds no unit value and its keys mean nothing outside this process.
 */
final class UnitKeys {
    private final byte[] key = new byte[32];

    UnitKeys(SecureRandom random) {
        random.nextBytes(key);
    }

    String of(String domain, Object unit) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] input = (domain + "\u0000" + unit).getBytes(StandardCharsets.UTF_8);
        mac.update(input, 0, input.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out, 0, 16);
    }
}
