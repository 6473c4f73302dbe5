package io.isthmus.nfvo.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "isthmus.nfvo")
public interface NfvoConfig {

    /** The URL peers use to reach this NFVO (the VNFM's notifications are sent to it). */
    String publicUrl();

    /** The VNFM's base URL (SOL003 Or-Vnfm). */
    String vnfmUrl();

    /** The VIM's base URL (capacity and quota checks for grants). */
    String vimUrl();

    /** The Keycloak realm URL where this service gets its own tokens. */
    String oidcUrl();

    /** This service's OAuth client (client credentials) towards the VNFM and the VIM. */
    @WithDefault("isthmus-nfvo")
    String clientId();

    /** The secret of {@link #clientId()}. */
    @WithDefault("isthmus-nfvo-secret")
    String clientSecret();

    /** How many times a step of an NS operation is retried on a transient failure before FAILED_TEMP. */
    @WithDefault("10")
    int maxStepAttempts();

    /** How long an NS operation waits for a VNF notification before it asks the VNFM itself. */
    @WithDefault("PT5S")
    Duration vnfPollInterval();

    /** How many attempts a notification gets (each with Camel's own redeliveries) before it is dead-lettered. */
    @WithDefault("5")
    int notificationAttempts();

    /** How often the NS LCM engine looks for operations to advance, besides being woken by new work. */
    @WithDefault("1s")
    String engineEvery();

    /** How often the outbox pump looks for notifications to deliver. */
    @WithDefault("1s")
    String notificationPump();

    /** How often the NFVO tries to subscribe to the VNFM until it succeeds. */
    @WithDefault("2s")
    String subscribeEvery();
}
