package org.datasandbox.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CryptoProfileTest {

    @Test
    void hash_sm3_matchesTheStandardTestVector() {
        // GB/T 32905-2016, example 1: SM3("abc").
        assertThat(HexFormat.of().formatHex(new SmCryptoProfile().hash("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    @ParameterizedTest
    @EnumSource(CryptoProfile.Kind.class)
    void signAndSeal_roundTrip_andDetectTampering(CryptoProfile.Kind kind) throws Exception {
        CryptoProfile crypto = CryptoProfile.of(kind);
        var pair = crypto.newSigningKeyPair();
        byte[] data = "ledger entry".getBytes(StandardCharsets.UTF_8);
        byte[] signature = crypto.sign(pair.getPrivate(), data);
        assertThat(crypto.verify(pair.getPublic(), data, signature)).isTrue();
        data[0] ^= 1;
        assertThat(crypto.verify(pair.getPublic(), data, signature)).isFalse();

        byte[] key = crypto.newSymmetricKey();
        byte[] sealed = crypto.seal(key, "secret".getBytes(StandardCharsets.UTF_8), "aad".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(crypto.open(key, sealed, "aad".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("secret");
        assertThatThrownBy(() -> crypto.open(key, sealed, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> crypto.open(key, sealed, "aad".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
