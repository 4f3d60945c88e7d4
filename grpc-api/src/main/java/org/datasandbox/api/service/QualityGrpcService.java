package org.datasandbox.api.service;

import io.grpc.stub.StreamObserver;
import java.time.Instant;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.v1.ListQualityIssuesRequest;
import org.datasandbox.api.v1.QualityIssueAnswer;
import org.datasandbox.api.v1.QualityIssueFiling;
import org.datasandbox.api.v1.QualityIssueInfo;
import org.datasandbox.api.v1.QualityIssueList;
import org.datasandbox.api.v1.QualityServiceGrpc;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.quality.QualityDesk;
import org.datasandbox.core.quality.QualityIssue;

/** Data-quality feedback: developers file, providers answer, everyone concerned lists (see {@link QualityDesk}). */
public final class QualityGrpcService extends QualityServiceGrpc.QualityServiceImplBase {
    private final Sandbox sandbox;

    public QualityGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void fileQualityIssue(QualityIssueFiling request, StreamObserver<QualityIssueInfo> responses) {
        QualityDesk desk = sandbox.quality();
        responses.onNext(info(desk.file(CallerIdentity.current(), request.getTable(), request.getCategory(),
                request.getDescription()), desk));
        responses.onCompleted();
    }

    @Override
    public void answerQualityIssue(QualityIssueAnswer request, StreamObserver<QualityIssueInfo> responses) {
        QualityDesk desk = sandbox.quality();
        responses.onNext(info(desk.answer(CallerIdentity.current(), request.getIssueId(), request.getAnswer()), desk));
        responses.onCompleted();
    }

    @Override
    public void listQualityIssues(ListQualityIssuesRequest request, StreamObserver<QualityIssueList> responses) {
        QualityDesk desk = sandbox.quality();
        QualityIssueList.Builder list = QualityIssueList.newBuilder();
        desk.list(CallerIdentity.current(), request.getOverdue()).forEach(i -> list.addIssues(info(i, desk)));
        responses.onNext(list.build());
        responses.onCompleted();
    }

    static QualityIssueInfo info(QualityIssue issue, QualityDesk desk) {
        Instant now = desk.now();
        return QualityIssueInfo.newBuilder().setId(issue.id()).setTable(issue.table()).setCategory(issue.category())
                .setDescription(issue.description()).setFiledBy(issue.filedBy()).setFiled(issue.filed())
                .setDeadline(issue.deadline()).setAnswer(issue.answer()).setAnsweredBy(issue.answeredBy())
                .setAnswered(issue.answered()).setState(issue.state(now)).setZone(desk.calendar().zone().getId())
                .build();
    }
}
