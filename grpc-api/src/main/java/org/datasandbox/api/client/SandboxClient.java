package org.datasandbox.api.client;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.datasandbox.api.v1.ApplyPolicyRequest;
import org.datasandbox.api.v1.ArrowChunk;
import org.datasandbox.api.v1.AuditServiceGrpc;
import org.datasandbox.api.v1.Catalog;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.ColumnType;
import org.datasandbox.api.v1.DatasetHeader;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.api.v1.FetchResultRequest;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobServiceGrpc;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.api.v1.LedgerVerification;
import org.datasandbox.api.v1.ListCatalogRequest;
import org.datasandbox.api.v1.PolicyReceipt;
import org.datasandbox.api.v1.PolicyServiceGrpc;
import org.datasandbox.api.v1.ProposePolicyRequest;
import org.datasandbox.api.v1.RegisterDatasetRequest;
import org.datasandbox.api.v1.ResultReceipt;
import org.datasandbox.api.v1.SampleChunk;
import org.datasandbox.api.v1.SampleInfo;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.api.v1.SubmitJobRequest;
import org.datasandbox.api.v1.VerifyLedgerRequest;
import org.datasandbox.api.v1.WatchJobRequest;
import org.datasandbox.core.identity.PkiLayout;
import org.datasandbox.core.identity.Role;
import org.datasandbox.core.release.ArrowResults;

/** One caller's connection: mutual TLS with the certificate of one role. */
public final class SandboxClient implements AutoCloseable {
    private static final int CHUNK_BYTES = 1 << 20;
    private static final long DEADLINE_SECONDS = 300;
    /** An upload of many gigabytes is sent and then checked and encrypted within the same call. */
    private static final long UPLOAD_DEADLINE_SECONDS = 6 * 3600;

    private final ManagedChannel channel;

    public SandboxClient(String host, int port, ChannelCredentials credentials) {
        this.channel = Grpc.newChannelBuilderForAddress(host, port, credentials)
                .maxInboundMessageSize(8 * 1024 * 1024).build();
    }

    /** A client holding one role's demo certificate from a data directory. */
    public static SandboxClient forRole(PkiLayout pki, Role role, int port) throws IOException {
        return new SandboxClient("localhost", port, credentials(pki.caCertificate(),
                pki.clientCertificate(role), pki.clientKey(role)));
    }

    public static ChannelCredentials credentials(Path ca, Path certificate, Path key) throws IOException {
        return TlsChannelCredentials.newBuilder().keyManager(certificate.toFile(), key.toFile())
                .trustManager(ca.toFile()).build();
    }

    private CatalogServiceGrpc.CatalogServiceBlockingStub catalog() {
        return CatalogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public DatasetInfo registerDataset(String name, String description, byte[] csv, Map<String, String> declaredTypes) {
        return registerDataset(name, description, "csv", csv, declaredTypes);
    }

    /** Uploads a file held in memory as an original table; {@code format} is {@code csv} or {@code parquet}. */
    public DatasetInfo registerDataset(String name, String description, String format, byte[] file,
                                       Map<String, String> declaredTypes) {
        return registerDataset(name, description, format, new java.io.ByteArrayInputStream(file), declaredTypes);
    }

    /**
     * Uploads a file as an original table, streaming: a chunk is read from {@code file} only when gRPC's
     * flow control says the server can take it, so neither side holds the file. Closes {@code file}.
     */
    public DatasetInfo registerDataset(String name, String description, String format, java.io.InputStream file,
                                       Map<String, String> declaredTypes) {
        DatasetHeader.Builder header = DatasetHeader.newBuilder().setName(name).setDescription(description)
                .setFormat(format);
        declaredTypes.forEach((column, type) -> header.addDeclaredTypes(ColumnType.newBuilder().setName(column).setType(type)));
        UploadStream upload = new UploadStream(RegisterDatasetRequest.newBuilder().setHeader(header).build(), file);
        CatalogServiceGrpc.newStub(channel).withDeadlineAfter(UPLOAD_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .registerDataset(upload);
        try {
            return await(upload.reply.future());
        } finally {
            upload.closeFile();
        }
    }

    /** An upload's request side, fed from the file whenever the call is ready for more. */
    private static final class UploadStream
            implements io.grpc.stub.ClientResponseObserver<RegisterDatasetRequest, DatasetInfo> {
        private final SingleReply<DatasetInfo> reply = new SingleReply<>();
        private final RegisterDatasetRequest header;
        private final java.io.InputStream file;
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private boolean headerSent;
        private boolean done;

        UploadStream(RegisterDatasetRequest header, java.io.InputStream file) {
            this.header = header;
            this.file = file;
        }

        @Override
        public void beforeStart(io.grpc.stub.ClientCallStreamObserver<RegisterDatasetRequest> requests) {
            requests.setOnReadyHandler(() -> send(requests));
        }

        private synchronized void send(io.grpc.stub.ClientCallStreamObserver<RegisterDatasetRequest> requests) {
            try {
                while (!done && requests.isReady()) {
                    if (!headerSent) {
                        requests.onNext(header);
                        headerSent = true;
                        continue;
                    }
                    int n = file.readNBytes(buffer, 0, buffer.length);
                    if (n > 0) {
                        requests.onNext(RegisterDatasetRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
                    }
                    if (n < buffer.length) {
                        done = true;
                        requests.onCompleted();
                    }
                }
            } catch (IOException e) {
                done = true;
                requests.cancel("the file could not be read", null);
                reply.onError(e);
            }
        }

        void closeFile() {
            try {
                file.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
        }

        @Override
        public void onNext(DatasetInfo value) {
            reply.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
            reply.onError(t);
        }

        @Override
        public void onCompleted() {
            reply.onCompleted();
        }
    }

    public Catalog listCatalog() {
        return catalog().listCatalog(ListCatalogRequest.getDefaultInstance());
    }

    /** A downloaded sample file and what the server says about it. */
    public record Sample(byte[] data, SampleInfo info) {
        public ArrowResults.Table table() {
            return ArrowResults.decode(data);
        }
    }

    /** A masked sample as an Arrow table, under the only scenario of yours that grants the table. */
    public ArrowResults.Table maskedSample(String table, int maxRows) {
        return sample(SampleRequest.newBuilder().setTable(table).setMaxRows(maxRows).build()).table();
    }

    public Sample sample(SampleRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SampleInfo info = null;
        Iterator<SampleChunk> chunks = catalog().getSample(request);
        while (chunks.hasNext()) {
            SampleChunk chunk = chunks.next();
            if (chunk.hasInfo()) {
                info = chunk.getInfo();
            }
            out.writeBytes(chunk.getData().toByteArray());
        }
        return new Sample(out.toByteArray(), info);
    }

    public PolicyReceipt applyPolicy(String document) {
        return PolicyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .applyPolicy(ApplyPolicyRequest.newBuilder().setDocument(document).build());
    }

    /** The profiler's draft policy for a registered table. */
    public String proposePolicy(String table) {
        return PolicyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .proposePolicy(ProposePolicyRequest.newBuilder().setTable(table).build()).getDocument();
    }

    /** The sandbox's draft scenario (DP mode) for a registered table. */
    public String proposeScenario(String table) {
        return PolicyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .proposePolicy(ProposePolicyRequest.newBuilder().setTable(table).setScenario(true).build()).getDocument();
    }

    public org.datasandbox.api.v1.BudgetReport budget(String scenario) {
        return jobs().getBudget(org.datasandbox.api.v1.GetBudgetRequest.newBuilder().setScenario(scenario).build());
    }

    public org.datasandbox.api.v1.QueryCost estimateCost(String scenario, String sql) {
        return jobs().estimateCost(SubmitJobRequest.newBuilder().setScenario(scenario).setSql(sql).build());
    }

    public JobTicket submitJob(String scenario, String sql) {
        return jobs().submitJob(SubmitJobRequest.newBuilder().setScenario(scenario).setSql(sql).build());
    }

    /** Cancels a job (a developer's own, or any as an admin). */
    public org.datasandbox.api.v1.CancelJobReply cancelJob(String jobId) {
        return jobs().cancelJob(org.datasandbox.api.v1.CancelJobRequest.newBuilder().setJobId(jobId).build());
    }

    /** Follows a job until it ends; returns its last event. */
    public JobEvent watchJob(String jobId, Consumer<JobEvent> onEvent) {
        Iterator<JobEvent> events = jobs().watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
        JobEvent last = null;
        while (events.hasNext()) {
            last = events.next();
            onEvent.accept(last);
        }
        return last;
    }

    /** A released result with its receipt, decoded and as the Arrow IPC stream it arrived in. */
    public record Result(ArrowResults.Table table, ResultReceipt receipt, byte[] arrowIpc) {
    }

    public Result fetchResult(String jobId) {
        ResultReceipt[] receipt = new ResultReceipt[1];
        byte[] ipc = collect(jobs().fetchResult(FetchResultRequest.newBuilder().setJobId(jobId).build()), receipt);
        return new Result(ArrowResults.decode(ipc), receipt[0], ipc);
    }

    public Result devRun(String scenario, String sql) {
        ResultReceipt[] receipt = new ResultReceipt[1];
        byte[] ipc = collect(jobs().devRun(SubmitJobRequest.newBuilder().setScenario(scenario).setSql(sql).build()), receipt);
        return new Result(ArrowResults.decode(ipc), receipt[0], ipc);
    }

    private org.datasandbox.api.v1.ScenarioServiceGrpc.ScenarioServiceBlockingStub scenarios() {
        return org.datasandbox.api.v1.ScenarioServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** A developer files an application for a scenario. */
    public org.datasandbox.api.v1.ScenarioApplicationInfo applyForScenario(
            org.datasandbox.api.v1.ScenarioApplicationRequest request) {
        return scenarios().applyForScenario(request);
    }

    public java.util.List<org.datasandbox.api.v1.ScenarioApplicationInfo> listApplications() {
        return scenarios().listApplications(org.datasandbox.api.v1.ListApplicationsRequest.getDefaultInstance())
                .getApplicationsList();
    }

    public org.datasandbox.api.v1.ScenarioApplicationInfo approveApplication(String id, String reason) {
        return scenarios().approveApplication(org.datasandbox.api.v1.ApplicationDecision.newBuilder()
                .setApplicationId(id).setReason(reason).build());
    }

    public org.datasandbox.api.v1.ScenarioApplicationInfo narrowApplication(
            org.datasandbox.api.v1.ApplicationNarrowing narrowing) {
        return scenarios().narrowApplication(narrowing);
    }

    public org.datasandbox.api.v1.ScenarioApplicationInfo rejectApplication(String id, String reason) {
        return scenarios().rejectApplication(org.datasandbox.api.v1.ApplicationDecision.newBuilder()
                .setApplicationId(id).setReason(reason).build());
    }

    /** An admin ends a scenario's authorization now. */
    public org.datasandbox.api.v1.DeletionCertificateInfo terminateScenario(String scenario, String reason) {
        return scenarios().terminateScenario(org.datasandbox.api.v1.TerminateScenarioRequest.newBuilder()
                .setScenario(scenario).setReason(reason).build());
    }

    /** An admin files a certificate request (the holder's PKCS#10 request, DER); returns its id. */
    public String requestCertificate(String name, String organization, String role, byte[] csr) {
        return org.datasandbox.api.v1.CertificateServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .requestCertificate(org.datasandbox.api.v1.CertificateRequestFiling.newBuilder().setName(name)
                        .setOrganization(organization).setRole(role)
                        .setCsr(com.google.protobuf.ByteString.copyFrom(csr)).build()).getRequestId();
    }

    /** The certificate (PEM) signed offline for a request. */
    public String collectCertificate(String requestId) {
        return org.datasandbox.api.v1.CertificateServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .collectCertificate(org.datasandbox.api.v1.CollectCertificateRequest.newBuilder()
                        .setRequestId(requestId).build()).getCertificate();
    }

    public LedgerVerification verifyLedger() {
        return AuditServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .verifyLedger(VerifyLedgerRequest.getDefaultInstance());
    }

    private org.datasandbox.api.v1.ReviewServiceGrpc.ReviewServiceBlockingStub reviews() {
        return org.datasandbox.api.v1.ReviewServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The release requests, newest first; {@code status} PENDING, APPROVED, REJECTED or empty for all. */
    public org.datasandbox.api.v1.ReleaseRequestList listReleaseRequests(String status) {
        return reviews().listReleaseRequests(org.datasandbox.api.v1.ListReleaseRequestsRequest.newBuilder()
                .setStatus(status).build());
    }

    public org.datasandbox.api.v1.ReleaseRequestDetail getReleaseRequest(String requestId) {
        return reviews().getReleaseRequest(org.datasandbox.api.v1.GetReleaseRequestRequest.newBuilder()
                .setRequestId(requestId).build());
    }

    /** Approves or rejects a release request; {@code verdict} APPROVE or REJECT, with a reason. */
    public org.datasandbox.api.v1.ReleaseRequestSummary decideRelease(String requestId, String verdict, String reason) {
        return reviews().decideRelease(org.datasandbox.api.v1.DecideReleaseRequest.newBuilder().setRequestId(requestId)
                .setVerdict(verdict).setReason(reason).build());
    }

    private static byte[] collect(Iterator<ArrowChunk> chunks, ResultReceipt[] receipt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (chunks.hasNext()) {
            ArrowChunk chunk = chunks.next();
            if (receipt != null && chunk.hasReceipt()) {
                receipt[0] = chunk.getReceipt();
            }
            out.writeBytes(chunk.getData().toByteArray());
        }
        return out.toByteArray();
    }

    // ---- data-quality feedback and reports ----------------------------------------------------------

    private org.datasandbox.api.v1.QualityServiceGrpc.QualityServiceBlockingStub quality() {
        return org.datasandbox.api.v1.QualityServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private org.datasandbox.api.v1.ReportServiceGrpc.ReportServiceBlockingStub reports() {
        return org.datasandbox.api.v1.ReportServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public org.datasandbox.api.v1.QualityIssueInfo fileQualityIssue(String table, String category, String description) {
        return quality().fileQualityIssue(org.datasandbox.api.v1.QualityIssueFiling.newBuilder().setTable(table)
                .setCategory(category).setDescription(description).build());
    }

    public org.datasandbox.api.v1.QualityIssueInfo answerQualityIssue(String issueId, String answer) {
        return quality().answerQualityIssue(org.datasandbox.api.v1.QualityIssueAnswer.newBuilder().setIssueId(issueId)
                .setAnswer(answer).build());
    }

    public java.util.List<org.datasandbox.api.v1.QualityIssueInfo> listQualityIssues(boolean overdueOnly) {
        return quality().listQualityIssues(org.datasandbox.api.v1.ListQualityIssuesRequest.newBuilder()
                .setOverdue(overdueOnly).build()).getIssuesList();
    }

    /** The annual report as JSON. */
    public String annualReport(int year) {
        return reports().annualReport(org.datasandbox.api.v1.AnnualReportRequest.newBuilder().setYear(year).build())
                .getJson();
    }

    /** The auditor's signed extract as JSON. */
    public String exportAudit(String from, String to, String operator, String scenario) {
        return reports().exportAudit(org.datasandbox.api.v1.AuditExportRequest.newBuilder().setFrom(from).setTo(to)
                .setOperator(operator).setScenario(scenario).build()).getJson();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reply within " + DEADLINE_SECONDS + " s");
        }
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
