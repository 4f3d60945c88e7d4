/**
 * The rules, one check per class, each named for what it forbids and registered once in {@link
 * org.datasandbox.guard.check.Checks}. A check looks at one plan node at a time and reports violations
 * with their rule id; it never changes the plan (rewrites live in {@code rewrite}).
 */
package org.datasandbox.guard.check;
