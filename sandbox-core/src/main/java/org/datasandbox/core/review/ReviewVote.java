package org.datasandbox.core.review;

import java.util.Objects;

/**
 * One reviewer's decision on one output of a request.
 *
 * @param reviewer the reviewer's real name (certificate CN)
 * @param certificateSerial the certificate the vote was cast with
 * @param resultSha the output voted on: a vote counts only for that output
 */
public record ReviewVote(String reviewer, String certificateSerial, ReviewDecision.Verdict verdict, String reason,
                         String at, String resultSha) {
    public ReviewVote {
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(certificateSerial, "certificateSerial");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(resultSha, "resultSha");
    }
}
