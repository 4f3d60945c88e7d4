package org.datasandbox.masking.function;

import org.datasandbox.masking.id.SocialCreditCode;

/**
 * A token for a unified social credit code: authority, type and region (the first 8 characters) kept,
 * the 9-character organization code replaced by keyed characters, and a valid check character.
 */
public final class SocialCreditCodeMask implements StringMask {
    private static final long serialVersionUID = 1L;

    private final KeyedHash hash;

    public SocialCreditCodeMask(byte[] key, KeyedPseudonym.Algorithm algorithm) {
        this.hash = new KeyedHash(key, algorithm);
    }

    @Override
    public String name() {
        return "social_credit_code";
    }

    @Override
    public String maskText(String code) {
        if (!SocialCreditCode.isValid(code)) {
            return Strings.stars(18);
        }
        byte[] mac = hash.mac("social_credit_code:" + code);
        StringBuilder token = new StringBuilder(18).append(code, 0, 8);
        for (int i = 0; i < 9; i++) {
            token.append(SocialCreditCode.ALPHABET.charAt((mac[i] & 0xff) % SocialCreditCode.ALPHABET.length()));
        }
        return token.append(SocialCreditCode.checkCharacter(token.toString())).toString();
    }
}
