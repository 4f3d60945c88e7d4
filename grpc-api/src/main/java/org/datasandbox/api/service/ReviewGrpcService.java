package org.datasandbox.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.Optional;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.DecideReleaseRequest;
import org.datasandbox.api.v1.GetReleaseRequestRequest;
import org.datasandbox.api.v1.ListReleaseRequestsRequest;
import org.datasandbox.api.v1.ReleaseRequestDetail;
import org.datasandbox.api.v1.ReleaseRequestList;
import org.datasandbox.api.v1.ReleaseRequestSummary;
import org.datasandbox.api.v1.ReviewServiceGrpc;
import org.datasandbox.api.v1.ReviewVote;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.review.DisclosureReport;
import org.datasandbox.core.review.ReleaseRequest;
import org.datasandbox.core.review.ReleaseStatus;
import org.datasandbox.core.review.ReviewDecision;

/** Release review for reviewers (and admins, read-only): a thin adapter over the sandbox's review desk. */
public final class ReviewGrpcService extends ReviewServiceGrpc.ReviewServiceImplBase {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Sandbox sandbox;

    public ReviewGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void listReleaseRequests(ListReleaseRequestsRequest request, StreamObserver<ReleaseRequestList> responses) {
        Optional<ReleaseStatus> status = request.getStatus().isBlank() ? Optional.empty()
                : Optional.of(enumOf(ReleaseStatus.class, request.getStatus(), "status", "PENDING, APPROVED or REJECTED"));
        ReleaseRequestList.Builder list = ReleaseRequestList.newBuilder();
        sandbox.releaseRequests(CallerIdentity.current(), status).forEach(r -> list.addRequests(summary(r)));
        responses.onNext(list.build());
        responses.onCompleted();
    }

    @Override
    public void getReleaseRequest(GetReleaseRequestRequest request, StreamObserver<ReleaseRequestDetail> responses) {
        Identity caller = CallerIdentity.current();
        ReleaseRequest found = sandbox.releaseRequest(caller, request.getRequestId());
        ReleaseRequestDetail.Builder detail = ReleaseRequestDetail.newBuilder().setSummary(summary(found))
                .setSubmittedSql(found.submittedSql()).setRewrittenSql(found.rewrittenSql())
                .setReportJson(json(found.report()));
        found.votes().forEach(v -> detail.addVotes(ReviewVote.newBuilder().setReviewer(v.reviewer())
                .setVerdict(v.verdict().name()).setReason(v.reason()).setAt(v.at())));
        if (found.status() != ReleaseStatus.REJECTED) {
            detail.setResultArrow(ByteString.copyFrom(sandbox.releaseRequestResult(caller, found.id())));
        }
        responses.onNext(detail.build());
        responses.onCompleted();
    }

    @Override
    public void decideRelease(DecideReleaseRequest request, StreamObserver<ReleaseRequestSummary> responses) {
        ReviewDecision.Verdict verdict = enumOf(ReviewDecision.Verdict.class, request.getVerdict(), "verdict",
                "APPROVE or REJECT");
        ReleaseRequest decided = sandbox.decideRelease(CallerIdentity.current(),
                new ReviewDecision(request.getRequestId(), verdict, request.getReason()));
        responses.onNext(summary(decided));
        responses.onCompleted();
    }

    static ReleaseRequestSummary summary(ReleaseRequest r) {
        return ReleaseRequestSummary.newBuilder().setId(r.id()).setJobId(r.jobId()).setScenario(r.scenario())
                .setRequester(r.requester()).setReason(r.reason().name()).setStatus(r.status().name()).setRows(r.rows())
                .setResultSha(r.resultSha()).setRequiredApprovals(r.requiredApprovals()).setApprovals((int) r.approvals())
                .setFlaggedCells(r.report().flaggedCells()).setCreatedAt(r.createdAt()).setUpdatedAt(r.updatedAt())
                .build();
    }

    private static String json(DisclosureReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the disclosure report could not be written", e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid(field + " must be " + allowed);
        }
    }
}
