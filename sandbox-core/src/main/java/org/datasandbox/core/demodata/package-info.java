/**
 * Synthetic Hubei-style demo tables the project generates itself: {@code residents} and the linked
 * {@code medical_visits}, reproducible from a seed at any size, with valid resident ID check digits,
 * birth dates and region codes consistent with the other columns, and real carrier prefixes.
 */
package org.datasandbox.core.demodata;
