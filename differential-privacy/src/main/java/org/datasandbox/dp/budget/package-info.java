/** Epsilon accounting under sequential composition. */
package org.datasandbox.dp.budget;
