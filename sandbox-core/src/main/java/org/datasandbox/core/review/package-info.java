/**
 * Release review: output the rules do not release on their own (a scenario in review mode, a threshold release
 * that may difference an earlier one) is held as a {@link org.datasandbox.core.review.ReleaseRequest} with a
 * {@link org.datasandbox.core.review.DisclosureReport} computed inside the sandbox, and leaves only when
 * reviewers approve it ({@link org.datasandbox.core.review.ReviewDesk}). Entry points: {@code ReviewDesk#list},
 * {@code #get}, {@code #decide}; the gRPC {@code ReviewService} and the console are thin layers over them.
 */
package org.datasandbox.core.review;
