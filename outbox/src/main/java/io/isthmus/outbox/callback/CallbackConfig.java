package io.isthmus.outbox.callback;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The operator's policy on where subscribers' callbacks (and their token endpoints) may point. An entry of
 * {@code allow} or {@code deny} is an address or CIDR ({@code 10.0.0.0/8}, {@code fe80::/10}), optionally with a port
 * ({@code 127.0.0.1:9000}, {@code 10.0.0.0/8:443}, {@code [::1]:9000}), or a host name with or without a port (its
 * addresses when the policy is built).
 */
@ConfigMapping(prefix = "isthmus.callbacks")
public interface CallbackConfig {

    /**
     * Destinations allowed although {@code deny} or the platform's own ports cover them: an operator's explicit entry
     * wins. Nothing by default.
     */
    Optional<List<String>> allow();

    /**
     * Destinations refused: by default link-local (where cloud metadata lives: 169.254.169.254, fd00:ec2::254),
     * "this network" and unspecified (0.0.0.0 and :: reach the local host), multicast and broadcast. {@code
     * 0.0.0.0/0,::/0} with an {@code allow} list makes the policy an allow-list.
     */
    @WithDefault("169.254.0.0/16,169.254.169.254,fe80::/10,fd00:ec2::254,0.0.0.0/8,::/128,224.0.0.0/4,ff00::/8,"
            + "255.255.255.255")
    List<String> deny();

    /**
     * Base URLs of the platform's services this one knows (its public URL, its peers): their ports are refused on the
     * addresses their hosts resolve to and on every address of this host (loopback, any, its interfaces). The
     * service's own {@code quarkus.http.port} is always refused so.
     */
    Optional<List<String>> platformUrls();

    /** Callback URIs of the platform itself, allowed exactly as written although on a platform port. */
    Optional<List<String>> platformCallbacks();

    /**
     * AES-256 key (32 bytes, base64) that seals the passwords of subscriptions' authentication in the database; none:
     * they are stored as given (and still never returned by the API).
     */
    Optional<String> secretsKey();
}
