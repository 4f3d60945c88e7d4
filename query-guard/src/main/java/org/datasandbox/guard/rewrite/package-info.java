/**
 * Rewrites of checked plans. {@link org.datasandbox.guard.rewrite.MinGroupSizeRewrite} makes every
 * aggregate over individual rows count its distinct privacy units and drop groups below k.
 */
package org.datasandbox.guard.rewrite;
