package org.datasandbox.masking.function;

/**
 * Keeps the first character of the local part and the domain of an e-mail address:
 * {@code zhang.wei@example.cn} becomes {@code z********@example.cn}. A value without exactly one {@code @}
 * is redacted.
 */
public record EmailMask() implements StringMask {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "email";
    }

    @Override
    public String maskText(String email) {
        int at = email.indexOf('@');
        if (at < 1 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return "***";
        }
        return PartialMask.apply(email.substring(0, at), 1, 0, '*') + email.substring(at);
    }
}
