/**
 * Data-quality feedback (Art. 25): a developer files an issue on a table a scenario grants them (a category and a
 * description that may not carry data values, see {@link org.datasandbox.core.quality.IssueText}); the provider who
 * registered the table answers; the answer is due within 3 working days ({@link
 * org.datasandbox.core.quality.WorkingCalendar}: weekends, a holiday list and worked weekend days, in the server's
 * time zone) and unanswered issues past it are listed as overdue. {@link org.datasandbox.core.quality.QualityDesk}
 * is the workflow, {@link org.datasandbox.core.quality.QualityStore} keeps every issue across restarts.
 */
package org.datasandbox.core.quality;
