package org.datasandbox.masking.function;

import org.datasandbox.masking.id.BankCardNumber;

/**
 * A token for a payment card number: same length and issuer prefix (the first 6 digits), keyed digits
 * in between and a valid Luhn check digit, so that format checks pass and equal cards get equal tokens.
 */
public final class BankCardMask implements StringMask {
    private static final long serialVersionUID = 1L;
    private static final int ISSUER_DIGITS = 6;

    private final KeyedHash hash;

    public BankCardMask(byte[] key, KeyedPseudonym.Algorithm algorithm) {
        this.hash = new KeyedHash(key, algorithm);
    }

    @Override
    public String name() {
        return "bank_card";
    }

    @Override
    public String maskText(String card) {
        if (!BankCardNumber.isValid(card)) {
            return Strings.stars(card.length());
        }
        int[] digits = hash.digits("bank_card", card, card.length() - ISSUER_DIGITS - 1);
        StringBuilder token = new StringBuilder(card.length()).append(card, 0, ISSUER_DIGITS);
        for (int d : digits) {
            token.append((char) ('0' + d));
        }
        return token.append(BankCardNumber.checkDigit(token)).toString();
    }
}
