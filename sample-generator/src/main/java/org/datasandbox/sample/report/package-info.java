/**
 * Sample reports: per-column distribution distance, correlation differences, exact matches and
 * distance to the closest original record, and re-identification risk on the quasi-identifiers.
 */
package org.datasandbox.sample.report;
