/** Turning a checked, rewritten plan back into Spark SQL: the only SQL Spark ever sees. */
package org.datasandbox.guard.unparse;
