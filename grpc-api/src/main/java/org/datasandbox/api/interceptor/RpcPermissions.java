package org.datasandbox.api.interceptor;

import io.grpc.reflection.v1.ServerReflectionGrpc;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.impl.FlightServiceGrpc;
import org.datasandbox.api.v1.AuditServiceGrpc;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.JobServiceGrpc;
import org.datasandbox.api.v1.PolicyServiceGrpc;
import org.datasandbox.api.v1.ReviewServiceGrpc;
import org.datasandbox.api.v1.ScenarioServiceGrpc;
import org.datasandbox.core.identity.Role;

/** Which roles may call which method. A method missing here can be called by nobody. */
public final class RpcPermissions {
    private static final Map<String, Set<Role>> ALLOWED = Map.ofEntries(
            Map.entry(CatalogServiceGrpc.getRegisterDatasetMethod().getFullMethodName(), EnumSet.of(Role.PROVIDER)),
            Map.entry(CatalogServiceGrpc.getListCatalogMethod().getFullMethodName(), EnumSet.allOf(Role.class)),
            Map.entry(CatalogServiceGrpc.getGetSampleMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(PolicyServiceGrpc.getApplyPolicyMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            Map.entry(PolicyServiceGrpc.getProposePolicyMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            Map.entry(JobServiceGrpc.getSubmitJobMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(JobServiceGrpc.getWatchJobMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(JobServiceGrpc.getFetchResultMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(JobServiceGrpc.getDevRunMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(JobServiceGrpc.getEstimateCostMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            // a developer their own jobs (others' are not found), an admin any
            Map.entry(JobServiceGrpc.getCancelJobMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER, Role.ADMIN)),
            // figures of the budget, never of the data: the scenario's developers, and who oversees them
            Map.entry(JobServiceGrpc.getGetBudgetMethod().getFullMethodName(),
                    EnumSet.of(Role.DEVELOPER, Role.ADMIN, Role.AUDITOR)),
            Map.entry(AuditServiceGrpc.getVerifyLedgerMethod().getFullMethodName(), EnumSet.of(Role.AUDITOR)),
            // release review: reviewers decide, admins may read the queue
            Map.entry(ReviewServiceGrpc.getListReleaseRequestsMethod().getFullMethodName(),
                    EnumSet.of(Role.REVIEWER, Role.ADMIN)),
            Map.entry(ReviewServiceGrpc.getGetReleaseRequestMethod().getFullMethodName(),
                    EnumSet.of(Role.REVIEWER, Role.ADMIN)),
            Map.entry(ReviewServiceGrpc.getDecideReleaseMethod().getFullMethodName(), EnumSet.of(Role.REVIEWER)),
            // reflection tells any authenticated person what the API looks like, never who may call what
            Map.entry(ServerReflectionGrpc.getServerReflectionInfoMethod().getFullMethodName(), EnumSet.allOf(Role.class)),
            // released results over Arrow Flight: like FetchResult, a developer their own jobs; nothing else of Flight
            Map.entry(FlightServiceGrpc.getDoGetMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(FlightServiceGrpc.getGetFlightInfoMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(FlightServiceGrpc.getGetSchemaMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            // scenario applications: developers apply, admins decide; the applications are evidence auditors read
            Map.entry(ScenarioServiceGrpc.getApplyForScenarioMethod().getFullMethodName(), EnumSet.of(Role.DEVELOPER)),
            Map.entry(ScenarioServiceGrpc.getListApplicationsMethod().getFullMethodName(),
                    EnumSet.of(Role.DEVELOPER, Role.ADMIN, Role.AUDITOR)),
            Map.entry(ScenarioServiceGrpc.getApproveApplicationMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            Map.entry(ScenarioServiceGrpc.getNarrowApplicationMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            Map.entry(ScenarioServiceGrpc.getRejectApplicationMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            Map.entry(ScenarioServiceGrpc.getTerminateScenarioMethod().getFullMethodName(), EnumSet.of(Role.ADMIN)),
            // certificates: the admin files requests and collects what the offline CA signed
            Map.entry(org.datasandbox.api.v1.CertificateServiceGrpc.getRequestCertificateMethod().getFullMethodName(),
                    EnumSet.of(Role.ADMIN)),
            Map.entry(org.datasandbox.api.v1.CertificateServiceGrpc.getCollectCertificateMethod().getFullMethodName(),
                    EnumSet.of(Role.ADMIN)),
            // data-quality feedback: developers file, the providers of the tables answer; admins and auditors oversee
            Map.entry(org.datasandbox.api.v1.QualityServiceGrpc.getFileQualityIssueMethod().getFullMethodName(),
                    EnumSet.of(Role.DEVELOPER)),
            Map.entry(org.datasandbox.api.v1.QualityServiceGrpc.getAnswerQualityIssueMethod().getFullMethodName(),
                    EnumSet.of(Role.PROVIDER)),
            Map.entry(org.datasandbox.api.v1.QualityServiceGrpc.getListQualityIssuesMethod().getFullMethodName(),
                    EnumSet.of(Role.DEVELOPER, Role.PROVIDER, Role.ADMIN, Role.AUDITOR)),
            // reports from the ledger: the annual report for admins and auditors, extracts for auditors
            Map.entry(org.datasandbox.api.v1.ReportServiceGrpc.getAnnualReportMethod().getFullMethodName(),
                    EnumSet.of(Role.ADMIN, Role.AUDITOR)),
            Map.entry(org.datasandbox.api.v1.ReportServiceGrpc.getExportAuditMethod().getFullMethodName(),
                    EnumSet.of(Role.AUDITOR)));

    private RpcPermissions() {
    }

    public static boolean allows(String fullMethodName, Role role) {
        return ALLOWED.getOrDefault(fullMethodName, Set.of()).contains(role);
    }
}
