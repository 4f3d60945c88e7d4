package org.datasandbox.sample.report;

/**
 * What every sample report says, whatever its kind: {@link SampleReport} for masked samples,
 * {@link SyntheticReport} for synthetic ones. Each is written as JSON next to its sample.
 */
public interface Report {

    String table();

    /** {@code masked} or {@code synthetic}. */
    String kind();

    /** Rows in the sample. */
    long rows();
}
