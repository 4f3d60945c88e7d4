/**
 * The masking policy model: which function, with which parameters, masks which column of a table.
 * Policy files are parsed elsewhere (sandbox-core); this package turns a parsed {@link
 * org.datasandbox.masking.policy.MaskingSpec} into a function and checks it against the column type.
 */
package org.datasandbox.masking.policy;
