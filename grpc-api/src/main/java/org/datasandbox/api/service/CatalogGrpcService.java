package org.datasandbox.api.service;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.interceptor.StatusMapping;
import org.datasandbox.api.v1.Catalog;
import org.datasandbox.api.v1.CatalogColumn;
import org.datasandbox.api.v1.CatalogServiceGrpc;
import org.datasandbox.api.v1.CatalogTable;
import org.datasandbox.api.v1.ColumnType;
import org.datasandbox.api.v1.DatasetHeader;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.api.v1.CatalogScenario;
import org.datasandbox.api.v1.ListCatalogRequest;
import org.datasandbox.core.policy.ScenarioPolicy;
import org.datasandbox.guard.catalog.OutputMode;
import org.datasandbox.api.v1.RegisterDatasetRequest;
import org.datasandbox.api.v1.SampleChunk;
import org.datasandbox.api.v1.SampleInfo;
import org.datasandbox.api.v1.SampleRequest;
import org.datasandbox.core.catalog.CatalogEntry;
import org.datasandbox.core.ErrorCode;
import org.datasandbox.core.Sandbox;
import org.datasandbox.core.SandboxException;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.catalog.UploadFormat;
import org.datasandbox.core.identity.Identity;
import org.datasandbox.core.upload.StagedUpload;

/** Registers datasets, lists the catalog, hands out masked samples. */
public final class CatalogGrpcService extends CatalogServiceGrpc.CatalogServiceImplBase {
    private final Sandbox sandbox;

    public CatalogGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /**
     * The upload: a header, then the file's bytes in chunks, each appended to a staging file as it arrives
     * (gRPC asks for the next message only when the last is written, so a fast client waits on the disk,
     * not on the heap). A broken-off or refused upload leaves no file and no table, and a ledger entry.
     */
    @Override
    public StreamObserver<RegisterDatasetRequest> registerDataset(StreamObserver<DatasetInfo> responses) {
        Identity caller = CallerIdentity.current();
        return new StreamObserver<>() {
            private DatasetHeader header;
            private UploadFormat format;
            private Map<String, org.datasandbox.guard.catalog.ColumnType> declared;
            private StagedUpload upload;
            private boolean failed;

            @Override
            public void onNext(RegisterDatasetRequest request) {
                if (failed) {
                    return;
                }
                try {
                    if (request.hasHeader()) {
                        if (header != null) {
                            throw SandboxException.invalid("The header may only be sent once, first");
                        }
                        header = request.getHeader();
                        // a bad header is refused before any byte is sent
                        format = UploadFormat.parse(header.getFormat());
                        declared = declaredTypes(header);
                        upload = sandbox.beginUpload(caller);
                    } else {
                        if (header == null) {
                            throw SandboxException.invalid("Send the dataset header before its bytes");
                        }
                        ByteString chunk = request.getChunk();
                        upload.append(chunk.toByteArray());
                    }
                } catch (RuntimeException | IOException e) {
                    fail(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                // the client gave up or the connection broke: nothing is registered, the attempt is recorded
                if (!failed) {
                    failed = true;
                    discard("CANCELLED");
                }
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                try {
                    if (header == null) {
                        throw SandboxException.invalid("No dataset header was sent");
                    }
                    upload.finish();
                    DatasetDescriptor registered = sandbox.registerDataset(caller, header.getName(),
                            header.getDescription(), upload, format, declared);
                    closeQuietly();
                    DatasetInfo.Builder info = DatasetInfo.newBuilder().setName(registered.name())
                            .setContentHash(registered.contentHash());
                    registered.columns().forEach(c -> info.addColumns(ColumnType.newBuilder().setName(c.name())
                            .setType(c.type().name().toLowerCase(Locale.ROOT))));
                    responses.onNext(info.build());
                    responses.onCompleted();
                } catch (RuntimeException | IOException e) {
                    fail(e);
                }
            }

            /** Refuses the upload: the staged bytes go, the attempt is recorded unless the import already did. */
            private void fail(Exception e) {
                failed = true;
                boolean recorded = e instanceof SandboxException && upload != null && upload.finished();
                if (!recorded) {
                    discard(e instanceof SandboxException se ? se.code().name() : ErrorCode.INTERNAL.name());
                } else {
                    closeQuietly();
                }
                responses.onError(StatusMapping.toStatus(e));
            }

            private void discard(String reason) {
                long size = upload == null ? 0 : upload.size();
                closeQuietly();
                if (header != null || size > 0) {
                    sandbox.uploadFailed(caller, header == null ? null : header.getName(), size, reason);
                }
            }

            private void closeQuietly() {
                if (upload != null) {
                    try {
                        upload.close();
                    } catch (IOException e) {
                        // the staging area deletes what is left at the next start
                    }
                }
            }
        };
    }

    @Override
    public void listCatalog(ListCatalogRequest request, StreamObserver<Catalog> responses) {
        Catalog.Builder catalog = Catalog.newBuilder();
        for (CatalogEntry entry : sandbox.catalog(CallerIdentity.current())) {
            CatalogTable.Builder table = CatalogTable.newBuilder().setName(entry.table())
                    .setDescription(entry.description()).setPolicyVersion(entry.policyVersion());
            entry.columns().forEach(c -> table.addColumns(CatalogColumn.newBuilder().setName(c.name()).setType(c.type())
                    .setRole(c.role()).setClassification(c.classification()).setMask(c.mask())));
            catalog.addTables(table);
        }
        for (ScenarioPolicy scenario : sandbox.scenarios(CallerIdentity.current())) {
            boolean dp = scenario.mode() == OutputMode.DP;
            catalog.addScenarios(CatalogScenario.newBuilder().setId(scenario.id()).setPurpose(scenario.purpose())
                    .setMode(scenario.modeLabel()).setK(dp ? 0 : scenario.minGroupSize())
                    .setQueryEpsilon(dp ? scenario.dp().epsilon().doubleValue() : 0).setQueryDelta(dp ? scenario.dp().delta() : 0)
                    .setBudgetEpsilon(scenario.budget().epsilon()).setBudgetDelta(scenario.budget().delta()));
        }
        responses.onNext(catalog.build());
        responses.onCompleted();
    }

    @Override
    public void getSample(SampleRequest request, StreamObserver<SampleChunk> responses) {
        if (request.getPreview()) {
            org.datasandbox.core.sample.SyntheticPreview preview = sandbox.samplePreview(CallerIdentity.current(),
                    request.getScenario(), request.getTable(), request.getKind());
            responses.onNext(SampleChunk.newBuilder().setInfo(SampleInfo.newBuilder().setScenario(preview.scenario())
                    .setKind("synthetic").setRows(0).setReportJson(PreviewJson.of(preview))).build());
            responses.onCompleted();
            return;
        }
        Sandbox.SampleDownload sample = sandbox.sample(CallerIdentity.current(), request.getScenario(), request.getTable(),
                request.getKind(), request.getFormat(), request.getMaxRows());
        byte[] data = sample.data();
        for (int offset = 0; offset == 0 || offset < data.length; offset += ArrowChunks.CHUNK_BYTES) {
            SampleChunk.Builder chunk = SampleChunk.newBuilder()
                    .setData(ByteString.copyFrom(data, offset, Math.min(ArrowChunks.CHUNK_BYTES, data.length - offset)));
            if (offset == 0) {
                chunk.setInfo(SampleInfo.newBuilder().setScenario(sample.scenario()).setKind(sample.kind().label())
                        .setFormat(sample.format().label()).setRows(sample.rows())
                        .setReportJson(new String(sample.reportJson(), StandardCharsets.UTF_8)));
            }
            responses.onNext(chunk.build());
        }
        responses.onCompleted();
    }

    private static Map<String, org.datasandbox.guard.catalog.ColumnType> declaredTypes(DatasetHeader header) {
        Map<String, org.datasandbox.guard.catalog.ColumnType> types = new HashMap<>();
        for (ColumnType declared : header.getDeclaredTypesList()) {
            try {
                types.put(declared.getName().toLowerCase(Locale.ROOT),
                        org.datasandbox.guard.catalog.ColumnType.valueOf(declared.getType().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw SandboxException.invalid("Declared type of column " + declared.getName()
                        + " must be string, integer, bigint, double, date, timestamp or boolean");
            }
        }
        return types;
    }
}
