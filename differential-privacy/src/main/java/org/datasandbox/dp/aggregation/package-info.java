/** Single-use DP aggregations: each spends its epsilon once and refuses a second result. */
package org.datasandbox.dp.aggregation;
