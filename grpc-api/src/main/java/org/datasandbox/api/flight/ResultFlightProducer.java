package org.datasandbox.api.flight;

import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.datasandbox.api.interceptor.CallerIdentity;
import org.datasandbox.api.interceptor.StatusMapping;
import org.datasandbox.core.identity.Identity;

/**
 * The Flight methods the sandbox serves: {@code GetFlightInfo} (and {@code GetSchema}, which Flight answers
 * from it) describes a released result, {@code DoGet} streams it. The caller is the one the authentication
 * interceptor put in the call's context; the source decides what they may read. Every other Flight method
 * is refused by the role table before it gets here (and would answer {@code UNIMPLEMENTED}).
 */
final class ResultFlightProducer extends NoOpFlightProducer {
    private final ResultSource results;
    private final BufferAllocator allocator;
    private final long streamLimit;

    /**
     * @param allocator the parent of every stream's allocator
     * @param streamLimit the most off-heap memory one stream may hold (a batch of the result, plus its copy)
     */
    ResultFlightProducer(ResultSource results, BufferAllocator allocator, long streamLimit) {
        this.results = results;
        this.allocator = allocator;
        this.streamLimit = streamLimit;
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
        BufferAllocator streamAllocator = null;
        ReleasedStream stream;
        String jobId;
        try {
            jobId = ResultTickets.jobId(ticket);
            Identity caller = CallerIdentity.current();
            streamAllocator = allocator.newChildAllocator("flight-" + jobId, 0, streamLimit);
            stream = results.open(caller, jobId, streamAllocator);
        } catch (RuntimeException e) {
            if (streamAllocator != null) {
                streamAllocator.close();
            }
            listener.error(StatusMapping.toStatus(e));
            return;
        }
        new BatchPump(stream, streamAllocator, listener, jobId).start();
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
        try {
            String jobId = ResultTickets.jobId(descriptor);
            try (BufferAllocator infoAllocator = allocator.newChildAllocator("flight-info", 0, streamLimit);
                 ReleasedStream stream = results.open(CallerIdentity.current(), jobId, infoAllocator)) {
                // no location: the endpoint is read from this same server, over the same connection
                return new FlightInfo(stream.schema(), descriptor,
                        List.of(new FlightEndpoint(ResultTickets.ticket(jobId))), stream.bytes(), stream.rows());
            }
        } catch (Exception e) {
            throw StatusMapping.toStatus(e);
        }
    }
}
