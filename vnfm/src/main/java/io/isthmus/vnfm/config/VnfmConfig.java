package io.isthmus.vnfm.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the vnfm needs to reach its peers and to pace its operation engine. */
@ConfigMapping(prefix = "isthmus.vnfm")
public interface VnfmConfig {

    /** Base URL of the nfvo: VNF packages ({@code /vnfpkgm/v2}) and grants ({@code /grant/v1}). */
    @WithDefault("http://127.0.0.1:8081")
    String nfvoUrl();

    /** Base URL of the vim: allocations ({@code /vim/v1}). */
    @WithDefault("http://127.0.0.1:8083")
    String vimUrl();

    /** Absolute base URL under which peers reach this vnfm; the links of notifications start with it. */
    @WithDefault("http://127.0.0.1:8082")
    String publicUrl();

    /** The vnfm's own OAuth 2.0 client (client credentials) for its calls to the nfvo and the vim. */
    Client client();

    /** Timeouts of calls to peers (nfvo, vim, slowpath). */
    Http http();

    /** The operation engine's worker. */
    Worker worker();

    /** Delivery of LCM notifications to subscribers. */
    Notifications notifications();

    interface Client {
        /** Client id in the realm. */
        @WithDefault("isthmus-vnfm")
        String id();

        /** Client secret in the realm. */
        @WithDefault("isthmus-vnfm-secret")
        String secret();
    }

    interface Http {
        /** Connection timeout of every outgoing call. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Time a slowpath has to answer a configuration. */
        @WithDefault("PT10S")
        Duration configTimeout();
    }

    interface Worker {
        /** How often the worker looks for operations to advance (also in {@code @Scheduled}). */
        @WithDefault("PT1S")
        Duration interval();

        /** Operations advanced per tick at most. */
        @WithDefault("20")
        int batchSize();

        /** Steps one operation may take in one tick, each in its own transaction. */
        @WithDefault("10")
        int maxStepsPerTick();

        /** Attempts of a step failing transiently (peer unreachable, 5xx) before the operation is FAILED_TEMP. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the first retry of a step; doubled on each further attempt. */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        /** Longest wait between two attempts of a step. */
        @WithDefault("PT10S")
        Duration maxBackoff();
    }

    interface Notifications {
        /** How often the outbox pump looks for notifications to deliver (also in {@code @Scheduled}). */
        @WithDefault("PT1S")
        Duration interval();

        /** Notifications handed to the route per tick at most. */
        @WithDefault("50")
        int batchSize();

        /** Redeliveries after the first attempt before a notification is DEAD. */
        @WithDefault("4")
        int maxRedeliveries();

        /** Delay before the first redelivery; doubled on each further one. */
        @WithDefault("PT0.25S")
        Duration redeliveryDelay();

        /** Longest delay between two redeliveries. */
        @WithDefault("PT5S")
        Duration maxRedeliveryDelay();

        /**
         * Test the callback URI with a GET (answered 204) before accepting a subscription, SOL003 clause 5.4.18.3.1;
         * a subscriber that fails it gets 422 and may subscribe again later.
         */
        @WithDefault("true")
        boolean verifyCallback();

        /** How long DELIVERED notifications stay in the outbox (DEAD ones stay as the dead-letter record). */
        @WithDefault("P7D")
        Duration deliveredRetention();
    }
}
