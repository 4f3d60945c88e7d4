package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.ApplyPolicyRequest;
import org.datasandbox.api.v1.PolicyDraft;
import org.datasandbox.api.v1.PolicyReceipt;
import org.datasandbox.api.v1.PolicyServiceGrpc;
import org.datasandbox.api.v1.ProposePolicyRequest;
import org.datasandbox.core.Sandbox;

/** Applies table policies and scenarios, and drafts table policies for new tables. */
public final class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {
    private final Sandbox sandbox;

    public PolicyGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void applyPolicy(ApplyPolicyRequest request, StreamObserver<PolicyReceipt> responses) {
        var receipt = sandbox.applyPolicy(CallerIdentity.current(), request.getDocument());
        responses.onNext(PolicyReceipt.newBuilder().setKind(receipt.kind()).setName(receipt.name())
                .setVersion(receipt.version()).setSha(receipt.sha()).build());
        responses.onCompleted();
    }

    @Override
    public void proposePolicy(ProposePolicyRequest request, StreamObserver<PolicyDraft> responses) {
        responses.onNext(PolicyDraft.newBuilder().setDocument(request.getScenario()
                ? sandbox.proposeScenario(CallerIdentity.current(), request.getTable())
                : sandbox.proposePolicy(CallerIdentity.current(), request.getTable())).build());
        responses.onCompleted();
    }
}
