package io.isthmus.outbox.callback;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * Where a subscriber may have the platform send requests: its callback URI and its OAuth 2.0 token endpoint, checked
 * when it subscribes and again before each request (DNS may have changed since). A destination is refused when one of
 * the addresses its host resolves to is in {@code deny} or is a platform service port, unless {@code allow} lists it.
 * What remains is the window between this check and the HTTP client's own lookup.
 */
@ApplicationScoped
public class CallbackPolicy {

    private static final List<String> OWN_PORT_KEYS = List.of("quarkus.http.port", "quarkus.http.test-port",
            "quarkus.http.ssl-port", "quarkus.http.test-ssl-port");

    private final List<AddressRule> allow;
    private final List<AddressRule> deny;
    private final List<URI> platformUrls;
    private final Set<String> platformCallbacks;

    public CallbackPolicy(CallbackConfig config) {
        this.allow = config.allow().orElse(List.of()).stream().flatMap(e -> AddressRule.parse(e).stream()).toList();
        this.deny = config.deny().stream().flatMap(e -> AddressRule.parse(e).stream()).toList();
        this.platformUrls = config.platformUrls().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(URI::create).toList();
        this.platformCallbacks = config.platformCallbacks().orElse(List.of()).stream()
                .map(s -> URI.create(s.trim()).normalize().toString()).collect(Collectors.toSet());
    }

    /**
     * The URI of a request body's field, if it is an absolute http(s) URI with a host and no credentials → else 400.
     */
    public URI validUri(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidRequestException(field + " is not a URI");
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new InvalidRequestException(field + " must be an absolute http(s) URI with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException(
                    "credentials in the " + field + " are refused; use authentication");
        }
        return uri;
    }

    /**
     * Refuses ({@link CallbackNotAllowedException}, 422) a destination the policy does not allow; one whose host does
     * not resolve is {@link CallbackRefusedException} (422) like any other that cannot be reached.
     */
    public void check(URI uri, String what) {
        if (platformCallbacks.contains(uri.normalize().toString())) {
            return;
        }
        int port = portOf(uri);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new CallbackRefusedException();
        }
        for (InetAddress address : addresses) {
            if (matches(allow, address, port)) {
                continue;
            }
            if (matches(deny, address, port) || isPlatformPort(address, port)) {
                throw new CallbackNotAllowedException(what);
            }
        }
    }

    private static boolean matches(List<AddressRule> rules, InetAddress address, int port) {
        for (AddressRule rule : rules) {
            if (rule.matches(address, port)) {
                return true;
            }
        }
        return false;
    }

    private boolean isPlatformPort(InetAddress address, int port) {
        if (ownPorts().contains(port) && isThisHost(address)) {
            return true;
        }
        for (URI platform : platformUrls) {
            if (portOf(platform) == port && (isThisHost(address) || resolvesTo(platform.getHost(), address))) {
                return true;
            }
        }
        return false;
    }

    /** This service's ports, read when asked: a test's random port is known only once the server is up. */
    private static Set<Integer> ownPorts() {
        Config config = ConfigProvider.getConfig();
        List<Integer> ports = new ArrayList<>();
        for (String key : OWN_PORT_KEYS) {
            Optional.ofNullable(System.getProperty(key)).or(() -> config.getOptionalValue(key, String.class))
                    .flatMap(CallbackPolicy::port).ifPresent(ports::add);
        }
        return Set.copyOf(ports);
    }

    private static Optional<Integer> port(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            return port > 0 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isThisHost(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
    }

    private static boolean resolvesTo(String host, InetAddress address) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.equals(address)) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static int portOf(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
