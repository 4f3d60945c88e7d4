package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.AnnualReportRequest;
import org.datasandbox.api.v1.AuditExportRequest;
import org.datasandbox.api.v1.ReportDocument;
import org.datasandbox.api.v1.ReportServiceGrpc;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.report.AnnualReports;
import org.datasandbox.core.report.AuditFilter;

/** The annual report and the auditor's extract, both computed from the ledger alone. */
public final class ReportGrpcService extends ReportServiceGrpc.ReportServiceImplBase {
    private final Sandbox sandbox;

    public ReportGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void annualReport(AnnualReportRequest request, StreamObserver<ReportDocument> responses) {
        var report = sandbox.annualReport(CallerIdentity.current(), request.getYear());
        try {
            responses.onNext(ReportDocument.newBuilder().setJson(AnnualReports.JSON.writeValueAsString(report)).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SandboxException.internal("report-json");
        }
        responses.onCompleted();
    }

    @Override
    public void exportAudit(AuditExportRequest request, StreamObserver<ReportDocument> responses) {
        AuditFilter filter = new AuditFilter(date(request.getFrom(), "from"), date(request.getTo(), "to"),
                request.getOperator(), request.getScenario(), sandbox.zone());
        byte[] extract = sandbox.exportAudit(CallerIdentity.current(), filter);
        responses.onNext(ReportDocument.newBuilder().setJson(new String(extract, StandardCharsets.UTF_8)).build());
        responses.onCompleted();
    }

    private static LocalDate date(String text, String what) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw SandboxException.invalid("'" + what + "' is a date, YYYY-MM-DD");
        }
    }
}
