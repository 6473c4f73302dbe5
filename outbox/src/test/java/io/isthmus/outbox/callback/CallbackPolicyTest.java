package io.isthmus.outbox.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.problem.InvalidRequestException;

class CallbackPolicyTest {

    private static final List<String> DEFAULT_DENY = Arrays.asList(("169.254.0.0/16,169.254.169.254,fe80::/10,"
            + "fd00:ec2::254,0.0.0.0/8,::/128,224.0.0.0/4,ff00::/8,255.255.255.255").split(","));

    record Config(Optional<List<String>> allow, List<String> deny, Optional<List<String>> platformUrls,
            Optional<List<String>> platformCallbacks, Optional<String> secretsKey) implements CallbackConfig {
    }

    private static CallbackPolicy policy(List<String> allow, List<String> platformUrls, List<String> callbacks) {
        return new CallbackPolicy(new Config(Optional.of(allow), DEFAULT_DENY, Optional.of(platformUrls),
                Optional.of(callbacks), Optional.empty()));
    }

    private static final CallbackPolicy DEFAULTS = policy(List.of(), List.of("http://127.0.0.1:8081"),
            List.of("http://127.0.0.1:8081/callbacks/v2/vnflcm"));

    @Test
    void rulesMatchTheirNetworkAndPort() throws Exception {
        AddressRule linkLocal = AddressRule.parse("169.254.0.0/16").getFirst();
        assertThat(linkLocal.matches(InetAddress.ofLiteral("169.254.169.254"), 80)).isTrue();
        assertThat(linkLocal.matches(InetAddress.ofLiteral("169.255.0.1"), 80)).isFalse();
        AddressRule v6 = AddressRule.parse("fe80::/10").getFirst();
        assertThat(v6.matches(InetAddress.ofLiteral("febf::1"), 1)).isTrue();
        assertThat(v6.matches(InetAddress.ofLiteral("fec0::1"), 1)).isFalse();
        AddressRule withPort = AddressRule.parse("[::1]:9000").getFirst();
        assertThat(withPort.matches(InetAddress.ofLiteral("::1"), 9000)).isTrue();
        assertThat(withPort.matches(InetAddress.ofLiteral("::1"), 9001)).isFalse();
        assertThat(AddressRule.parse("10.0.0.0/8:443").getFirst().matches(InetAddress.ofLiteral("10.1.2.3"), 443))
                .isTrue();
    }

    @Test
    void defaultsRefuseMetadataLinkLocalUnspecifiedAndThePlatformsPorts() {
        for (String uri : List.of("http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/",
                "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:5432/", "http://[::]:80/",
                "http://127.0.0.1:8081/nslcm/v2/ns_instances", "http://localhost:8081/")) {
            assertThatThrownBy(() -> DEFAULTS.check(URI.create(uri), "callback URI")).as(uri)
                    .isInstanceOf(CallbackNotAllowedException.class)
                    .hasMessageContaining("not allow").hasMessageNotContaining("8081");
        }
    }

    @Test
    void defaultsAllowLoopbackOnOtherPortsAndThePlatformsOwnCallback() {
        assertThatCode(() -> DEFAULTS.check(URI.create("http://127.0.0.1:40123/callbacks/x"), "callback URI"))
                .doesNotThrowAnyException();
        assertThatCode(() -> DEFAULTS.check(URI.create("http://127.0.0.1:8081/callbacks/v2/vnflcm"), "callback URI"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> DEFAULTS.check(URI.create("http://127.0.0.1:8081/callbacks/v2/vnflcm/../../x"),
                "callback URI")).isInstanceOf(CallbackNotAllowedException.class);
    }

    @Test
    void anExplicitAllowWinsOverDeny() {
        CallbackPolicy policy = policy(List.of("169.254.10.0/24"), List.of(), List.of());

        assertThatCode(() -> policy.check(URI.create("http://169.254.10.7/cb"), "callback URI"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check(URI.create("http://169.254.169.254/"), "callback URI"))
                .isInstanceOf(CallbackNotAllowedException.class);
    }

    @Test
    void uriMustBeHttpWithAHostAndNoCredentials() {
        assertThat(DEFAULTS.validUri("https://example.org/cb?x=1", "callbackUri")).hasHost("example.org");
        assertThatThrownBy(() -> DEFAULTS.validUri("http://user:pass@example.org/cb", "callbackUri"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("credentials in the callbackUri are refused; use authentication");
        for (String bad : List.of("ftp://example.org/", "/relative", "file:///etc/passwd", "not a uri")) {
            assertThatThrownBy(() -> DEFAULTS.validUri(bad, "callbackUri")).as(bad)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }
}
