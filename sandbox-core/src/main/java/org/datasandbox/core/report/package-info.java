/**
 * Reports computed from the evidence ledger alone (Art. 34, 37): the annual report per operator and scenario
 * ({@link org.datasandbox.core.report.AnnualReports}), which names the checkpoint it was computed from so that anyone
 * holding the ledger can compute it again and compare, and the auditor's filtered extract ({@link
 * org.datasandbox.core.report.AuditExtracts}), which verifies on its own. {@link
 * org.datasandbox.core.report.LedgerAttribution} says which scenario and operator an entry belongs to.
 */
package org.datasandbox.core.report;
