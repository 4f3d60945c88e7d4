package org.datasandbox.api.service;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.ArrowChunk;
import org.datasandbox.api.v1.BudgetReport;
import org.datasandbox.api.v1.GetBudgetRequest;
import org.datasandbox.api.v1.QueryCost;
import org.datasandbox.api.v1.TableBudget;
import org.datasandbox.core.dprelease.CostEstimate;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.dp.accounting.BudgetStatus;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.api.v1.CancelJobReply;
import org.datasandbox.api.v1.CancelJobRequest;
import org.datasandbox.api.v1.FetchResultRequest;
import org.datasandbox.api.v1.JobEvent;
import org.datasandbox.api.v1.JobServiceGrpc;
import org.datasandbox.api.v1.JobState;
import org.datasandbox.api.v1.JobTicket;
import org.datasandbox.api.v1.ResultReceipt;
import org.datasandbox.api.v1.SubmitJobRequest;
import org.datasandbox.api.v1.WatchJobRequest;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.job.JobManager;

/** Submits jobs, streams their progress, cancels them, fetches released results, runs queries on samples. */
public final class JobGrpcService extends JobServiceGrpc.JobServiceImplBase {
    private final Sandbox sandbox;

    public JobGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void submitJob(SubmitJobRequest request, StreamObserver<JobTicket> responses) {
        var ticket = sandbox.submitJob(CallerIdentity.current(), request.getScenario(), request.getSql());
        responses.onNext(JobTicket.newBuilder().setJobId(ticket.jobId()).setScenario(ticket.scenario())
                .setRewrittenSql(ticket.rewrittenSql())
                .addAllRewrites(ticket.rewrites().stream().map(Enum::name).toList()).build());
        responses.onCompleted();
    }

    @Override
    public void watchJob(WatchJobRequest request, StreamObserver<JobEvent> responses) {
        Identity caller = CallerIdentity.current();
        ServerCallStreamObserver<JobEvent> call = (ServerCallStreamObserver<JobEvent>) responses;
        sandbox.watchJob(caller, request.getJobId(), event -> {
            if (call.isCancelled()) {
                return;
            }
            try {
                call.onNext(JobEvent.newBuilder().setJobId(event.jobId())
                        .setState(JobState.valueOf(event.state().name()))
                        .setTasksDone(event.tasksDone()).setTasksTotal(event.tasksTotal())
                        .setMessage(event.message()).setErrorCode(event.errorCode()).addAllHints(event.hints()).build());
                if (event.state().isTerminal()) {
                    call.onCompleted();
                }
            } catch (StatusRuntimeException | IllegalStateException e) {
                // the watcher went away; the job goes on
            }
        });
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobReply> responses) {
        var was = sandbox.cancelJob(CallerIdentity.current(), request.getJobId());
        responses.onNext(CancelJobReply.newBuilder().setJobId(request.getJobId()).setWas(JobState.valueOf(was.name())).build());
        responses.onCompleted();
    }

    @Override
    public void fetchResult(FetchResultRequest request, StreamObserver<ArrowChunk> responses) {
        // read from sealed storage chunk by chunk (a damaged file ends the call with INTERNAL, naming no value), so
        // whatever a job may release streams here as over Flight: an approved extract of maxExtractRows rows too
        try (org.datasandbox.core.job.OpenedResult result = sandbox.openResult(CallerIdentity.current(),
                request.getJobId())) {
            ArrowChunks.send(result.arrowIpc(), ResultReceipt.newBuilder().setJobId(result.jobId())
                    .setRows(result.rows()).setSha(result.sha()).setLedgerSequence(result.ledgerSequence()).build(),
                    responses);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void getBudget(GetBudgetRequest request, StreamObserver<BudgetReport> responses) {
        Sandbox.BudgetReport report = sandbox.budget(CallerIdentity.current(), request.getScenario());
        ScenarioPolicy scenario = report.scenario();
        boolean dp = scenario.mode() == OutputMode.DP;
        BudgetReport.Builder out = BudgetReport.newBuilder().setScenario(scenario.id()).setMode(scenario.modeLabel())
                .setQueryEpsilon(dp ? scenario.dp().epsilon().doubleValue() : 0).setQueryDelta(dp ? scenario.dp().delta() : 0);
        for (BudgetStatus status : report.accounts()) {
            out.addTables(TableBudget.newBuilder().setTable(status.key().table())
                    .setLifetimeEpsilon(status.lifetime().epsilon()).setLifetimeDelta(status.lifetime().delta())
                    .setSpentEpsilon(status.spentEpsilon()).setRemainingEpsilon(status.remainingEpsilon())
                    .setRemainingRho(status.remainingRho()).setCharges(status.spent().charges()));
        }
        responses.onNext(out.build());
        responses.onCompleted();
    }

    @Override
    public void estimateCost(SubmitJobRequest request, StreamObserver<QueryCost> responses) {
        CostEstimate cost = sandbox.estimateCost(CallerIdentity.current(), request.getScenario(), request.getSql());
        responses.onNext(QueryCost.newBuilder().setScenario(cost.scenario()).setMode(cost.mode())
                .setEpsilon(cost.epsilon()).setDelta(cost.delta()).setCached(cost.cached()).setAffordable(cost.affordable())
                .addAllTables(cost.accounts()).setRewrittenSql(cost.rewrittenSql()).build());
        responses.onCompleted();
    }

    @Override
    public void devRun(SubmitJobRequest request, StreamObserver<ArrowChunk> responses) {
        JobManager.DevRunResult result = sandbox.devRun(CallerIdentity.current(), request.getScenario(), request.getSql());
        ArrowChunks.send(result.arrowIpc(), ResultReceipt.newBuilder().setRows(result.rows())
                .setRewrittenSql(result.rewrittenSql())
                .addAllRewrites(result.rewrites().stream().map(Enum::name).toList()).build(), responses);
    }
}
