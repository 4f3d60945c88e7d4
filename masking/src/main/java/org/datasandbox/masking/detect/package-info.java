/**
 * PII detection: proposes a role and a mask for each column of a new table from formats (check digits,
 * carrier prefixes, ICD-10 codes), names and cardinality, with evidence in shares and never in values. The
 * privacy unit is the column that identifies people, which repeats on tables of several rows per person
 * ({@code PrivacyUnit}); special categories of data are proposed as
 * sensitive attributes ({@code SensitiveAttributes}).
 */
package org.datasandbox.masking.detect;
