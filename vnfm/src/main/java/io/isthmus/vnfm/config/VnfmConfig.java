package io.isthmus.vnfm.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the vnfm needs to reach its peers and to pace its operation engine. */
@ConfigMapping(prefix = "isthmus.vnfm")
public interface VnfmConfig {

    /**
     * Base URL of the nfvo: VNF packages ({@code /vnfpkgm/v2}) and grants ({@code /grant/v1}); the REST client's
     * {@code quarkus.rest-client.nfvo.url} is set from it.
     */
    @WithDefault("http://127.0.0.1:8081")
    String nfvoUrl();

    /** Base URL of the vim: allocations ({@code /vim/v1}); {@code quarkus.rest-client.vim.url} is set from it. */
    @WithDefault("http://127.0.0.1:8083")
    String vimUrl();

    /** Absolute base URL under which peers reach this vnfm; the links of notifications start with it. */
    @WithDefault("http://127.0.0.1:8082")
    String publicUrl();

    /**
     * The secret of this vnfm's client {@code isthmus-vnfm} in the realm ({@code ISTHMUS_VNFM_CLIENT_SECRET}); no
     * default, so the vnfm does not start without it. {@code quarkus.oidc-client.credentials.secret} is set from it.
     */
    String clientSecret();

    /** Timeouts of the plain HTTP calls (slowpath, callback checks); the REST clients' are {@code quarkus.rest-client.*}. */
    Http http();

    /** The operation engine's worker. */
    Worker worker();

    /** Subscriptions to LCM notifications (their delivery is the outbox module's, {@code isthmus.outbox}). */
    Notifications notifications();

    /** The secrets of VNF configurations (contracts.md "Secrets in VNF configurations"). */
    Secrets secrets();

    interface Http {
        /** Connection timeout of the plain HTTP calls. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Time a slowpath has to answer a configuration. */
        @WithDefault("PT10S")
        Duration configTimeout();

        /**
         * Time a slowpath has to answer a read of its VNF's indicators ({@code /vnfind/v1}); one that does not is
         * left out of a list of every instance's indicators, and a read of its own gets 503.
         */
        @WithDefault("PT2S")
        Duration indicatorTimeout();
    }

    interface Worker {
        /** How often the worker looks for operations to advance when no commit woke it first. */
        @WithDefault("PT1S")
        Duration interval();

        /** Operations advanced per tick at most. */
        @WithDefault("20")
        int batchSize();

        /**
         * Operations advanced at the same time (each one's steps in order on one thread): a step that waits on the vim
         * (processes starting) or a drain holds up no other VNF's operation.
         */
        @WithDefault("8")
        int parallelism();

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

        /**
         * How long a vnfm holds a step it runs without renewing its lease (renewed every third of it): a vnfm killed
         * mid-step leaves the operation FAILED_TEMP this long after.
         */
        @WithDefault("PT6S")
        Duration lease();
    }

    /** Taking fastpaths out of service: scale in, graceful termination and stop. */
    Drain drain();

    interface Drain {
        /** A fastpath is drained once it has received nothing for this long. */
        @WithDefault("PT1S")
        Duration quiet();

        /** Longest wait for a scale in's fastpaths to drain, unless the request says ({@code drainTimeout}). */
        @WithDefault("PT10S")
        Duration timeout();
    }

    interface Notifications {
        /**
         * Test the callback URI with a GET (answered 204) before accepting a subscription, SOL003 clause 5.4.18.3.1;
         * a subscriber that fails it gets 422 and may subscribe again later.
         */
        @WithDefault("true")
        boolean verifyCallback();
    }

    interface Secrets {
        /**
         * The AES-256 key (32 random bytes, base64) that seals the values a VNF type's configuration schema marks
         * {@code writeOnly} in the database ({@code ISTHMUS_VNFM_SECRETS_KEY}); no default, so the vnfm does not start
         * without it. ./nfv makes one for each work directory, the Helm chart takes it from a Secret.
         */
        String key();
    }
}
