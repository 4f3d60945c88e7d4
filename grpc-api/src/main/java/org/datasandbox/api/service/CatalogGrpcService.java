package org.datasandbox.api.service;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
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

/** Registers datasets, lists the catalog, hands out masked samples. */
public final class CatalogGrpcService extends CatalogServiceGrpc.CatalogServiceImplBase {
    private final Sandbox sandbox;

    public CatalogGrpcService(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public StreamObserver<RegisterDatasetRequest> registerDataset(StreamObserver<DatasetInfo> responses) {
        Identity caller = CallerIdentity.current();
        long limit = sandbox.config().maxUploadBytes();
        return new StreamObserver<>() {
            private DatasetHeader header;
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
                    } else {
                        if (header == null) {
                            throw SandboxException.invalid("Send the dataset header before its bytes");
                        }
                        if (bytes.size() + (long) request.getChunk().size() > limit) {
                            throw new SandboxException(ErrorCode.TOO_LARGE, "The upload exceeds " + limit + " bytes");
                        }
                        request.getChunk().writeTo(bytes);
                    }
                } catch (RuntimeException | java.io.IOException e) {
                    fail(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true; // the client gave up; nothing was registered
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
                    DatasetDescriptor registered = sandbox.registerDataset(caller, header.getName(),
                            header.getDescription(), bytes.toByteArray(), UploadFormat.parse(header.getFormat()),
                            declaredTypes(header));
                    DatasetInfo.Builder info = DatasetInfo.newBuilder().setName(registered.name())
                            .setContentHash(registered.contentHash());
                    registered.columns().forEach(c -> info.addColumns(ColumnType.newBuilder().setName(c.name())
                            .setType(c.type().name().toLowerCase(Locale.ROOT))));
                    responses.onNext(info.build());
                    responses.onCompleted();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }

            private void fail(Exception e) {
                failed = true;
                responses.onError(StatusMapping.toStatus(e));
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
                    .setMode(dp ? "dp" : "threshold").setK(dp ? 0 : scenario.minGroupSize())
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
