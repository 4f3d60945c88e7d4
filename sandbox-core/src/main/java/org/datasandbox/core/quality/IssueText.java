package org.datasandbox.core.quality;

import org.datasandbox.core.SandboxException;

/**
 * Keeps data values out of data-quality issues and their answers: the developer describes a problem in words
 * ("district codes mix old and new names", "ages above the bound"), not by quoting rows. The rule is simple on
 * purpose: short texts (a category of at most 40 letters, spaces and hyphens; a description or answer of at most
 * 500 characters), no {@code @} (e-mail addresses), and no run of more than 4 digits, counted across spaces,
 * hyphens, dots, slashes, colons, plus signs and parentheses between them, so that identity numbers, phone numbers,
 * account numbers and exact amounts are refused while a year or a small count passes. The text is stored for the
 * two parties; the ledger records only its hash.
 */
final class IssueText {
    static final int MAX_CATEGORY = 40;
    static final int MAX_TEXT = 500;
    static final int MAX_DIGIT_RUN = 4;

    private IssueText() {
    }

    static String category(String text) {
        String category = text == null ? "" : text.strip();
        if (category.isEmpty() || category.length() > MAX_CATEGORY
                || !category.chars().allMatch(c -> Character.isLetter(c) || c == ' ' || c == '-')) {
            throw SandboxException.invalid("the category is 1 to " + MAX_CATEGORY + " letters, spaces and hyphens");
        }
        return category;
    }

    static String text(String text, String what) {
        String stripped = text == null ? "" : text.strip();
        if (stripped.isEmpty()) {
            throw SandboxException.invalid("the " + what + " is empty");
        }
        if (stripped.length() > MAX_TEXT) {
            throw SandboxException.invalid("the " + what + " is longer than " + MAX_TEXT + " characters: describe the "
                    + "problem, do not quote the data");
        }
        if (stripped.indexOf('@') >= 0) {
            throw SandboxException.invalid("the " + what + " contains '@': no e-mail addresses or other values");
        }
        if (longestDigitRun(stripped) > MAX_DIGIT_RUN) {
            throw SandboxException.invalid("the " + what + " contains a number of more than " + MAX_DIGIT_RUN
                    + " digits: describe the problem without quoting values");
        }
        return stripped;
    }

    /** The most digits in one run, separators between two digits not breaking it. */
    static int longestDigitRun(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                run++;
                longest = Math.max(longest, run);
            } else if (run > 0 && " -./:+()".indexOf(c) >= 0 && nextIsDigitAfterSeparators(text, i)) {
                continue;
            } else {
                run = 0;
            }
        }
        return longest;
    }

    private static boolean nextIsDigitAfterSeparators(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                return true;
            }
            if (" -./:+()".indexOf(c) < 0) {
                return false;
            }
        }
        return false;
    }
}
