/**
 * Masking functions. Each one maps a single value to its masked form, keeps {@code null} as
 * {@code null}, and masks harder (full redaction) rather than failing when a value is malformed, so
 * that a bad original can never come out unmasked.
 */
package org.datasandbox.masking.function;
