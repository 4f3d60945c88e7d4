package org.datasandbox.api.flight;

import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.datasandbox.api.interceptor.StatusMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one released result to one Flight client with back-pressure: a batch is read from storage only
 * when the call can take it ({@code isReady}), and when it cannot, the pump returns and gRPC's on-ready
 * callback resumes it. So the server holds at most one batch of the result (plus what gRPC's flow-control
 * window buffers), however large the result and however slow the client. Everything runs on the call's
 * serialized callbacks (the first call from {@code getStream}, then on-ready and on-cancel), never
 * concurrently.
 */
final class BatchPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPump.class);

    private final ReleasedStream stream;
    private final BufferAllocator allocator;
    private final ServerStreamListener listener;
    private final String jobId;
    private VectorSchemaRoot out;
    private VectorLoader loader;
    private boolean finished;

    BatchPump(ReleasedStream stream, BufferAllocator allocator, ServerStreamListener listener, String jobId) {
        this.stream = stream;
        this.allocator = allocator;
        this.listener = listener;
        this.jobId = jobId;
    }

    /** Sends the schema (with the sandbox's metadata) and as many batches as the client takes now. */
    void start() {
        try {
            out = VectorSchemaRoot.create(stream.schema(), allocator);
            loader = new VectorLoader(out);
            listener.setOnCancelHandler(this::cancelled);
            listener.setOnReadyHandler(this);
            listener.start(out);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        run();
    }

    /** Sends batches while the client can take them; on-ready calls it again when it can take more. */
    @Override
    public void run() {
        if (finished) {
            return;
        }
        try {
            while (listener.isReady()) {
                if (listener.isCancelled()) {
                    cancelled();
                    return;
                }
                if (!stream.reader().loadNextBatch()) {
                    finished = true;
                    release();
                    listener.completed();
                    return;
                }
                // the stored batch moves into the annotated root without a copy (same buffers, new schema)
                try (ArrowRecordBatch batch = new VectorUnloader(stream.reader().getVectorSchemaRoot()).getRecordBatch()) {
                    loader.load(batch);
                }
                listener.putNext();
            }
        } catch (Exception e) {
            fail(e);
        }
    }

    private void cancelled() {
        if (!finished) {
            finished = true;
            LOG.info("flight stream of job {} cancelled by the client", jobId);
            release();
        }
    }

    private void fail(Exception e) {
        boolean wasFinished = finished;
        finished = true;
        release();
        if (!wasFinished) {
            listener.error(StatusMapping.toStatus(e));
        }
    }

    /** Closes the stored result, the annotated root and this stream's allocator, which must then hold nothing. */
    private void release() {
        try {
            if (out != null) {
                out.close();
            }
            stream.close();
            allocator.close();
        } catch (Exception | AssertionError e) {
            LOG.warn("flight stream of job {}: releasing its buffers failed ({})", jobId, e.getClass().getName());
        }
    }
}
