package io.isthmus.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the outbox delivers notifications; every service that has an outbox reads the same keys. */
@ConfigMapping(prefix = "isthmus.outbox")
public interface OutboxConfig {

    /** How often the pump looks for pending notifications besides being woken when a transaction that wrote some commits. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Notifications handed to the delivery route per pass at most. */
    @WithDefault("50")
    int batchSize();

    /** Redeliveries after the first attempt before a notification is DEAD (the dead-letter record). */
    @WithDefault("4")
    int maxRedeliveries();

    /** Delay before the first redelivery. */
    @WithDefault("PT0.25S")
    Duration redeliveryDelay();

    /** Factor by which each further redelivery waits longer. */
    @WithDefault("2")
    double backoffMultiplier();

    /** Longest delay between two redeliveries. */
    @WithDefault("PT5S")
    Duration maxRedeliveryDelay();

    /** Time to connect to a subscriber's callback URI. */
    @WithDefault("PT3S")
    Duration connectTimeout();

    /** Time a subscriber has to answer a notification. */
    @WithDefault("PT10S")
    Duration responseTimeout();

    /** The SOL013 {@code Version} header sent with each notification (the API version of the subscription). */
    @WithDefault("2.0.0")
    String apiVersion();

    /** How long DELIVERED notifications stay in the outbox; DEAD ones stay as the dead-letter record. */
    @WithDefault("P7D")
    Duration deliveredRetention();

    /** How many message ids the delivery route remembers to drop a second hand-over of a notification sent already. */
    @WithDefault("10000")
    int idempotentCacheSize();
}
