/**
 * PII detection: proposes a role and a mask for each column of a new table from formats (check digits,
 * carrier prefixes), names and cardinality, with evidence in shares and never in values.
 */
package org.datasandbox.masking.detect;
