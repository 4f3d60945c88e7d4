/**
 * Rewrites of checked plans. {@link org.datasandbox.guard.rewrite.MinGroupSizeRewrite} makes every
 * aggregate over individual rows count its distinct privacy units and drop groups below k;
 * {@link org.datasandbox.guard.rewrite.ReleasedOrder} makes every sort total over the released values.
 */
package org.datasandbox.guard.rewrite;
