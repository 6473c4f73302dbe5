package io.isthmus.slowpath.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What a policy may declare as a health check, and when two declarations are the same check. */
class HealthCheckTest {

    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 8080);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Test
    void anHttpCheckWithoutHostAsksForTheTargetsAddressAndPort() {
        HealthCheck check = HealthCheck.http("web", TARGET, "/health", null, 200, 399, INTERVAL, TIMEOUT, 2, 3);

        assertThat(check.httpHost()).isEqualTo("127.0.0.1:8080");
        assertThat(HealthCheck.http("web", new InetSocketAddress("127.0.0.1", 80), "/", null, 200, 200, INTERVAL,
                TIMEOUT, 1, 1).httpHost()).isEqualTo("127.0.0.1");
        assertThat(HealthCheck.http("web", TARGET, "/", "backend.example", 200, 200, INTERVAL, TIMEOUT, 1, 1)
                .httpHost()).isEqualTo("backend.example");
    }

    @Test
    void checksDeclaredAlikeAreTheSameCheckAndATcpCheckIgnoresHttpFields() {
        assertThat(HealthCheck.http("web", TARGET, "/health", null, 200, 399, INTERVAL, TIMEOUT, 2, 3))
                .isEqualTo(HealthCheck.http("web", TARGET, "/health", "127.0.0.1:8080", 200, 399, INTERVAL, TIMEOUT,
                        2, 3))
                .isNotEqualTo(HealthCheck.http("web", TARGET, "/health", null, 200, 399, INTERVAL, TIMEOUT, 2, 4));
        assertThat(new HealthCheck("db", HealthCheck.Kind.TCP, TARGET, "/x", "h", 1, 2, INTERVAL, TIMEOUT, 1, 1))
                .isEqualTo(HealthCheck.tcp("db", TARGET, INTERVAL, TIMEOUT, 1, 1));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("blank id", (Supplier<?>) () -> HealthCheck.tcp(" ", TARGET, INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("no target", (Supplier<?>) () -> HealthCheck.tcp("a", null, INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("port 0",
                        (Supplier<?>) () -> HealthCheck.tcp("a", new InetSocketAddress("127.0.0.1", 0), INTERVAL,
                                TIMEOUT, 1, 1)),
                Arguments.of("path without /", (Supplier<?>) () -> HealthCheck.http("a", TARGET, "health", null, 200,
                        200, INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("path with a line end", (Supplier<?>) () -> HealthCheck.http("a", TARGET,
                        "/x HTTP/1.1\r\nX: y", null, 200, 200, INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("status below 100", (Supplier<?>) () -> HealthCheck.http("a", TARGET, "/", null, 99, 200,
                        INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("status above 599", (Supplier<?>) () -> HealthCheck.http("a", TARGET, "/", null, 200,
                        600, INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("min above max", (Supplier<?>) () -> HealthCheck.http("a", TARGET, "/", null, 300, 200,
                        INTERVAL, TIMEOUT, 1, 1)),
                Arguments.of("interval below 100 ms", (Supplier<?>) () -> HealthCheck.tcp("a", TARGET,
                        Duration.ofMillis(99), Duration.ofMillis(50), 1, 1)),
                Arguments.of("no timeout",
                        (Supplier<?>) () -> HealthCheck.tcp("a", TARGET, INTERVAL, Duration.ZERO, 1, 1)),
                Arguments.of("timeout beyond interval", (Supplier<?>) () -> HealthCheck.tcp("a", TARGET, INTERVAL,
                        INTERVAL.plusMillis(1), 1, 1)),
                Arguments.of("rise 0", (Supplier<?>) () -> HealthCheck.tcp("a", TARGET, INTERVAL, TIMEOUT, 0, 1)),
                Arguments.of("fall 101", (Supplier<?>) () -> HealthCheck.tcp("a", TARGET, INTERVAL, TIMEOUT, 1, 101)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aCheckThatCannotBeProbedAsDeclaredIsRefused(String what, Supplier<?> declaration) {
        assertThatThrownBy(declaration::get).isInstanceOf(IllegalArgumentException.class);
    }
}
