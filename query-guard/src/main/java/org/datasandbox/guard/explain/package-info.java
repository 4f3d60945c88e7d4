/**
 * Decisions and their explanations: the rule that fired, a one-line reason, the SQL position and, where
 * one exists, a compliant rewrite to try. Every user-facing rule message is declared once, in {@link
 * org.datasandbox.guard.explain.RuleId}.
 */
package org.datasandbox.guard.explain;
