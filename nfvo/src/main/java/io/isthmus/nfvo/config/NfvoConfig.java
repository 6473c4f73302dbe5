package io.isthmus.nfvo.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "isthmus.nfvo")
public interface NfvoConfig {

    /** The URL peers use to reach this NFVO (the VNFM's notifications are sent to it). */
    String publicUrl();

    /** The VNFM's base URL (SOL003 Or-Vnfm); {@code quarkus.rest-client.vnfm.url} is set from it. */
    String vnfmUrl();

    /**
     * The VIM's base URL (capacity and quota checks for grants, and the endpoint grants name); {@code
     * quarkus.rest-client.vim.url} is set from it.
     */
    String vimUrl();

    /**
     * The secret of this NFVO's client {@code isthmus-nfvo} in the realm ({@code ISTHMUS_NFVO_CLIENT_SECRET}); no
     * default, so the NFVO does not start without it. {@code quarkus.oidc-client.credentials.secret} is set from it.
     */
    String clientSecret();

    /** How many times a step of an NS operation is retried on a transient failure before FAILED_TEMP. */
    @WithDefault("10")
    int maxStepAttempts();

    /** How long an NS operation waits for a VNF notification before it asks the VNFM itself. */
    @WithDefault("PT5S")
    Duration vnfPollInterval();

    /** How often the NS LCM engine looks for operations to advance, besides being woken by new work. */
    @WithDefault("1s")
    String engineEvery();

    /**
     * How often the NFVO reads the VNFs of each instantiated service chain that runs no operation from the VNFM, to
     * rewire a chain whose VNF's ingress changed outside an NS operation (an automatic NS heal); {@code off}: never.
     */
    @WithDefault("PT2S")
    String chainWatchEvery();

    /** How often the NFVO tries to subscribe to the VNFM until it succeeds. */
    @WithDefault("2s")
    String subscribeEvery();

    /** The secrets of VNF configurations (contracts.md "Secrets in VNF configurations"). */
    Secrets secrets();

    /** The data-plane counters of the NS instances' VNFs, which the NS view shows. */
    Counters counters();

    interface Counters {
        /**
         * How often each VNF of an instantiated NS has its {@code dataplane.*} indicators read from the VNFM (one call
         * per VNF per round; a round still running when the next is due skips it).
         */
        @WithDefault("5s")
        String interval();
    }

    interface Secrets {
        /**
         * The AES-256 key (32 random bytes, base64) that seals, in the database, the values a VNF type's configuration
         * schema marks {@code writeOnly} ({@code ISTHMUS_NFVO_SECRETS_KEY}); no default, so the NFVO does not start
         * without it. ./nfv makes one for each work directory, the Helm chart takes it from a Secret.
         */
        String key();
    }
}
