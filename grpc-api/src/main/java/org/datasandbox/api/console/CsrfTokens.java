package org.datasandbox.api.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.datasandbox.core.identity.Identity;

/**
 * Tokens against cross-site request forgery. A browser presents its client certificate to any page that makes it
 * send a request, so the certificate alone cannot tell a form of the console from a form on another site. Every
 * form of the console carries a token bound to the caller's certificate, an HMAC under a key made at start and
 * held in memory only: another site cannot read it (same-origin policy) and cannot compute it.
 */
final class CsrfTokens {
    private final byte[] key = new byte[32];

    CsrfTokens(SecureRandom random) {
        random.nextBytes(key);
    }

    String tokenFor(Identity caller) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String bound = caller.certificateSerial() + '\n' + caller.role().label() + '\n' + caller.name();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(bound.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether a submitted token is the caller's, compared in constant time. */
    boolean valid(Identity caller, String submitted) {
        if (submitted == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(caller).getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.UTF_8));
    }
}
