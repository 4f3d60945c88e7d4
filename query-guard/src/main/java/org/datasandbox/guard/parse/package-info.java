/** Parsing Spark SQL as users write it (backticks, case-insensitive names) with Calcite's Babel parser. */
package org.datasandbox.guard.parse;
