package org.datasandbox.api.flight;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Ticket;
import org.datasandbox.core.SandboxException;

/**
 * How a released result is named over Flight: the ticket is the job id in UTF-8; a descriptor is the path
 * {@code ["results", <job id>]} or the command {@code <job id>}. Anything else is refused without being
 * echoed back.
 */
final class ResultTickets {
    static final String PATH_PREFIX = "results";
    private static final int MAX_JOB_ID_LENGTH = 128;

    private ResultTickets() {
    }

    static Ticket ticket(String jobId) {
        return new Ticket(jobId.getBytes(StandardCharsets.UTF_8));
    }

    static String jobId(Ticket ticket) {
        return jobId(ticket.getBytes(), "ticket");
    }

    static String jobId(FlightDescriptor descriptor) {
        if (descriptor.isCommand()) {
            return jobId(descriptor.getCommand(), "descriptor command");
        }
        List<String> path = descriptor.getPath();
        if (path.size() != 2 || !PATH_PREFIX.equals(path.get(0))) {
            throw SandboxException.invalid("A descriptor path must be [\"results\", job id]");
        }
        return jobId(path.get(1).getBytes(StandardCharsets.UTF_8), "descriptor path");
    }

    private static String jobId(byte[] bytes, String what) {
        if (bytes.length == 0 || bytes.length > MAX_JOB_ID_LENGTH) {
            throw SandboxException.invalid("The " + what + " must be a job id of 1 to " + MAX_JOB_ID_LENGTH + " bytes");
        }
        try {
            String id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (id.chars().anyMatch(Character::isISOControl)) {
                throw SandboxException.invalid("The " + what + " must be a job id");
            }
            return id;
        } catch (CharacterCodingException e) {
            throw SandboxException.invalid("The " + what + " must be a job id in UTF-8");
        }
    }
}
