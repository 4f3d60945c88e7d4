package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.CertificateRequestFiling;
import org.datasandbox.api.v1.CertificateRequestReceipt;
import org.datasandbox.api.v1.CertificateServiceGrpc;
import org.datasandbox.api.v1.CollectCertificateRequest;
import org.datasandbox.api.v1.IssuedCertificate;
import org.datasandbox.core.Sandbox;

/** Certificate requests filed by an admin and signed offline (see {@link Sandbox#requestCertificate}). */
public final class CertificateGrpcService extends CertificateServiceGrpc.CertificateServiceImplBase {
    private final Sandbox sandbox;

    public CertificateGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void requestCertificate(CertificateRequestFiling request, StreamObserver<CertificateRequestReceipt> responses) {
        responses.onNext(CertificateRequestReceipt.newBuilder().setRequestId(sandbox.requestCertificate(
                CallerIdentity.current(), request.getName(), request.getOrganization(), request.getRole(),
                request.getCsr().toByteArray())).build());
        responses.onCompleted();
    }

    @Override
    public void collectCertificate(CollectCertificateRequest request, StreamObserver<IssuedCertificate> responses) {
        responses.onNext(IssuedCertificate.newBuilder().setCertificate(sandbox.collectCertificate(
                CallerIdentity.current(), request.getRequestId())).build());
        responses.onCompleted();
    }
}
