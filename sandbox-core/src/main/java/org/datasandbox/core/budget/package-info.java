/**
 * The persistent privacy budget: {@link org.datasandbox.core.budget.FileBudgetStore}, the file-backed
 * {@link org.datasandbox.dp.accounting.BudgetStore} that DP queries and synthetic-sample fits spend from,
 * and {@link org.datasandbox.core.budget.FileAnswerCache}, the released answers that make repeated queries
 * free. Every change is written to a temporary file, forced to disk and renamed over the old one, so a
 * crash leaves either the old state or the new, and a spend returns only once it is durable.
 */
package org.datasandbox.core.budget;
