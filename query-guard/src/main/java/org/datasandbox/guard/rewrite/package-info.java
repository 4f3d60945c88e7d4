/**
 * Rewrites of checked plans. {@link org.datasandbox.guard.rewrite.MinGroupSizeRewrite} makes every
 * aggregate over individual rows count its distinct privacy units and drop groups below k;
 * {@link org.datasandbox.guard.rewrite.ReleasedOrder} makes every sort total over the released values, sorts a
 * release that nothing orders, and has {@link org.datasandbox.guard.rewrite.WindowOrder} complete the order of every
 * window whose value depends on the order of tied rows.
 */
package org.datasandbox.guard.rewrite;
