package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A tenant's NS LCM subscription; {@code filter} is the LccnSubscriptionRequest filter as JSON, {@code authentication}
 * its SOL013 SubscriptionAuthentication as JSON (secrets: the API never shows it).
 */
@Entity
@Table(name = "subscription")
public class SubscriptionEntity {
    @Id
    public String id;
    public String tenant;
    @Column(name = "callback_uri")
    public String callbackUri;
    public String filter;
    public String authentication;
    @Column(name = "created_at")
    public Instant createdAt;
}
