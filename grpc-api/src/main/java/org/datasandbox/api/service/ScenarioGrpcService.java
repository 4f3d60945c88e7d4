package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.ApplicationDecision;
import org.datasandbox.api.v1.ApplicationNarrowing;
import org.datasandbox.api.v1.ApplicationTable;
import org.datasandbox.api.v1.ListApplicationsRequest;
import org.datasandbox.api.v1.ScenarioApplicationInfo;
import org.datasandbox.api.v1.ScenarioApplicationList;
import org.datasandbox.api.v1.ScenarioApplicationRequest;
import org.datasandbox.api.v1.ScenarioServiceGrpc;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.application.ApplicationRequest;
import org.datasandbox.core.application.Narrowing;
import org.datasandbox.core.application.ScenarioApplication;

/** Scenario applications: filed by developers, decided by admins (see {@link Sandbox#applyForScenario}). */
public final class ScenarioGrpcService extends ScenarioServiceGrpc.ScenarioServiceImplBase {
    private final Sandbox sandbox;

    public ScenarioGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void applyForScenario(ScenarioApplicationRequest request, StreamObserver<ScenarioApplicationInfo> responses) {
        reply(responses, sandbox.applyForScenario(CallerIdentity.current(), request(request)));
    }

    @Override
    public void listApplications(ListApplicationsRequest request, StreamObserver<ScenarioApplicationList> responses) {
        ScenarioApplicationList.Builder list = ScenarioApplicationList.newBuilder();
        sandbox.applications(CallerIdentity.current()).forEach(a -> list.addApplications(info(a)));
        responses.onNext(list.build());
        responses.onCompleted();
    }

    @Override
    public void approveApplication(ApplicationDecision request, StreamObserver<ScenarioApplicationInfo> responses) {
        reply(responses, sandbox.approveApplication(CallerIdentity.current(), request.getApplicationId(),
                request.getReason()));
    }

    @Override
    public void narrowApplication(ApplicationNarrowing request, StreamObserver<ScenarioApplicationInfo> responses) {
        Narrowing narrowing = new Narrowing(grants(request.getTablesList(), false), request.getTermDays(),
                request.getOutputMode(), request.getMinGroupSize(), request.getEpsilon());
        reply(responses, sandbox.narrowApplication(CallerIdentity.current(), request.getApplicationId(), narrowing,
                request.getReason()));
    }

    @Override
    public void rejectApplication(ApplicationDecision request, StreamObserver<ScenarioApplicationInfo> responses) {
        reply(responses, sandbox.rejectApplication(CallerIdentity.current(), request.getApplicationId(),
                request.getReason()));
    }

    @Override
    public void terminateScenario(org.datasandbox.api.v1.TerminateScenarioRequest request,
                                  StreamObserver<org.datasandbox.api.v1.DeletionCertificateInfo> responses) {
        var certificate = sandbox.terminateScenario(CallerIdentity.current(), request.getScenario(), request.getReason());
        responses.onNext(org.datasandbox.api.v1.DeletionCertificateInfo.newBuilder()
                .setScenario(certificate.scenario()).setReason(certificate.reason()).setEndedBy(certificate.endedBy())
                .setEndedAt(certificate.endedAt()).addAllRevokedCertificates(certificate.revokedCertificates())
                .addAllDestroyedKeys(certificate.destroyedKeys()).addAllShreddedFiles(certificate.shreddedFiles())
                .setCertificateFile(sandbox.config().dataDir().relativize(sandbox.deletionCertificate(certificate.scenario()))
                        .toString()).build());
        responses.onCompleted();
    }

    private static void reply(StreamObserver<ScenarioApplicationInfo> responses, ScenarioApplication application) {
        responses.onNext(info(application));
        responses.onCompleted();
    }

    private static ApplicationRequest request(ScenarioApplicationRequest request) {
        // the organization is the one on the applicant's certificate unless the application names it
        String organization = request.getOrganization().isBlank() ? CallerIdentity.current().organization()
                : request.getOrganization();
        return new ApplicationRequest(request.getScenarioId(), organization, request.getPurpose(),
                grants(request.getTablesList(), true), request.getPlannedOutputs(), request.getOutputMode(),
                request.getMinGroupSize(), request.getEpsilon(), request.getTermDays(), request.getDevelopersList());
    }

    private static Map<String, Set<String>> grants(List<ApplicationTable> tables, boolean required) {
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        for (ApplicationTable table : tables) {
            if (grants.put(table.getTable(), Set.copyOf(table.getColumnsList())) != null) {
                throw SandboxException.invalid("table '" + table.getTable() + "' is named twice");
            }
        }
        if (required && grants.isEmpty()) {
            throw SandboxException.invalid("an application names at least one table and its columns");
        }
        return grants;
    }

    static ScenarioApplicationInfo info(ScenarioApplication application) {
        ScenarioApplicationInfo.Builder info = ScenarioApplicationInfo.newBuilder().setId(application.id())
                .setApplicant(application.applicant()).setState(application.state().label())
                .setRequested(message(application.request())).setReason(application.reason())
                .setDecidedBy(application.decidedBy()).setFiled(application.filed()).setDecided(application.decided())
                .setExpires(application.expires());
        if (application.granted() != null) {
            info.setGranted(message(application.granted()));
        }
        return info.build();
    }

    private static ScenarioApplicationRequest message(ApplicationRequest request) {
        ScenarioApplicationRequest.Builder message = ScenarioApplicationRequest.newBuilder()
                .setScenarioId(request.scenarioId()).setOrganization(request.organization())
                .setPurpose(request.purpose()).setPlannedOutputs(request.plannedOutputs())
                .setOutputMode(request.mode()).setMinGroupSize(request.minGroupSize()).setEpsilon(request.epsilon())
                .setTermDays(request.termDays()).addAllDevelopers(request.developers());
        new java.util.TreeMap<>(request.grants()).forEach((table, columns) -> message.addTables(ApplicationTable
                .newBuilder().setTable(table).addAllColumns(new java.util.TreeSet<>(columns))));
        return message.build();
    }
}
