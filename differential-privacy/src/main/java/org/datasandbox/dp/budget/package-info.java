/**
 * The synthetic model's epsilon shares within one fit (sequential composition). Lifetime accounting across
 * fits and queries is {@link org.datasandbox.dp.accounting.BudgetStore}'s; fits are to charge it.
 */
package org.datasandbox.dp.budget;
