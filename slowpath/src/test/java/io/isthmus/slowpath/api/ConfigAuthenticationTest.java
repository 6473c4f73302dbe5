package io.isthmus.slowpath.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.slowpath.Slowpath;
import io.isthmus.slowpath.SlowpathOptions;
import io.isthmus.slowpath.testing.RecordingPolicy;

/** A slowpath given a config secret takes configuration only from whoever presents it; health stays open to probes. */
class ConfigAuthenticationTest {

    private static final String SECRET = "s3cret-of-this-vnf";

    private final HttpClient client = HttpClient.newHttpClient();
    private final RecordingPolicy policy = new RecordingPolicy();
    private final Slowpath slowpath = Slowpath.start(
            SlowpathOptions.of("test", "vnf-test", InetAddress.getLoopbackAddress(), 0, 0).withConfigSecret(SECRET),
            policy, Clock.systemUTC());

    @AfterEach
    void stop() {
        slowpath.close();
    }

    @Test
    void aConfigWithoutTheSecretIsRefusedWith401AndChangesNothing() throws Exception {
        // When a caller without the secret, then one with a wrong one, PUT a config
        HttpResponse<String> none = send(put("{\"valid\":true}"));
        HttpResponse<String> wrong = send(put("{\"valid\":true}").header("Authorization", "Bearer guess"));

        // Then both are refused, and the slowpath still has no config
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(send(get("/config").header("Authorization", "Bearer " + SECRET)).statusCode()).isEqualTo(404);
    }

    @Test
    void theHolderOfTheSecretConfiguresAndReadsBackWhileHealthNeedsNoSecret() throws Exception {
        assertThat(send(put("{\"valid\":true}").header("Authorization", "Bearer " + SECRET)).statusCode())
                .isEqualTo(204);
        assertThat(send(get("/config").header("Authorization", "Bearer " + SECRET)).statusCode()).isEqualTo(200);
        assertThat(send(get("/config")).statusCode()).isEqualTo(401);
        assertThat(send(get("/stats")).statusCode()).isEqualTo(401);
        assertThat(send(get("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void theSecretComesFromTheEnvironmentNotTheCommandLine() {
        SlowpathOptions options = SlowpathOptions.parse(new String[]{"--vnf-type", "x", "--instance-id", "i",
                "--control-port", "0", "--config-port", "0"});
        // this JVM has no ISTHMUS_CONFIG_SECRET: no secret, and no flag could have given one
        assertThat(options.configSecret()).isEqualTo(java.util.Optional.ofNullable(
                System.getenv("ISTHMUS_CONFIG_SECRET")).filter(s -> !s.isBlank()));
    }

    private HttpRequest.Builder put(String body) {
        return HttpRequest.newBuilder(uri("/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + slowpath.configAddress().getPort() + path);
    }
}
