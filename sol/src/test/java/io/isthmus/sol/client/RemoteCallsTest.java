package io.isthmus.sol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ConnectException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;

/** How a REST client's failure becomes the one exception the engines read: status, body, transient or not. */
class RemoteCallsTest {

    @Test
    void peerThatCannotBeReachedIsATransientFailureWithStatusZero() {
        // Given a client call that could not connect
        // When it runs through RemoteCalls
        RemoteCallException e = catchThrowableOfType(RemoteCallException.class,
                () -> RemoteCalls.call("POST /vim/v1/allocations", () -> {
                    throw new ProcessingException(new ConnectException("Connection refused"));
                }));

        // Then it is status 0, worth retrying, and says what was called
        assertThat(e.status()).isZero();
        assertThat(e.transientFailure()).isTrue();
        assertThat(e.getMessage()).startsWith("POST /vim/v1/allocations unreachable").contains("Connection refused");
    }

    @Test
    void errorStatusKeepsItsStatusAndBodyAndIsNotTransientBelow500() {
        // Given a peer that refused with a ProblemDetails (as RemoteCallExceptionMapper reports it)
        String problem = "{\"status\":403,\"detail\":\"quota\"}";

        // When the call runs through RemoteCalls
        RemoteCallException e = catchThrowableOfType(RemoteCallException.class,
                () -> RemoteCalls.call("POST /grant/v1/grants", () -> {
                    throw new RemoteCallException("answered 403: " + problem, 403, problem);
                }));

        // Then status and body are kept, the call is named, and it is final
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.body()).isEqualTo(problem);
        assertThat(e.getMessage()).isEqualTo("POST /grant/v1/grants answered 403: " + problem);
        assertThat(e.transientFailure()).isFalse();
    }

    @Test
    void unreadableReplyIsA502() {
        RemoteCallException e = catchThrowableOfType(RemoteCallException.class,
                () -> RemoteCalls.call("GET /vim/v1/capacity", () -> {
                    throw new ProcessingException(new JsonParseException(null, "Unexpected character"));
                }));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.transientFailure()).isTrue();
    }

    @Test
    void otherExceptionsPassThroughUnchanged() {
        IllegalStateException bug = new IllegalStateException("bug");

        Throwable thrown = catchThrowableOfType(IllegalStateException.class,
                () -> RemoteCalls.call("GET /x", () -> {
                    throw bug;
                }));

        assertThat(thrown).isSameAs(bug);
    }
}
