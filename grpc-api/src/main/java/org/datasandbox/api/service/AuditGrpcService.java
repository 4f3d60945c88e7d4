package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.AuditServiceGrpc;
import org.datasandbox.api.v1.LedgerVerification;
import org.datasandbox.api.v1.VerifyLedgerRequest;
import org.datasandbox.core.Sandbox;

/** Verifies the evidence ledger for auditors. */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {
    private final Sandbox sandbox;

    public AuditGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void verifyLedger(VerifyLedgerRequest request, StreamObserver<LedgerVerification> responses) {
        var result = sandbox.verifyLedger(CallerIdentity.current());
        responses.onNext(LedgerVerification.newBuilder().setValid(result.valid()).setEntries(result.entries())
                .setHeadHash(result.headHash()).setKeyFingerprint(result.keyFingerprint())
                .setProblem(result.problem()).setProfile(result.profile() == null ? "" : result.profile().name()).build());
        responses.onCompleted();
    }
}
