package io.isthmus.vnfm.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.SubscriptionAuthentication;

/**
 * A subscriber to LCM notifications; a tenant's subscription hears only of its own tenant's VNF instances. Its
 * {@code authentication} holds secrets: the API never shows it.
 */
@Entity
@Table(name = "lccn_subscription")
public class LccnSubscriptionEntity {

    @Id
    private String id;
    @Column(name = "callback_uri", nullable = false)
    private String callbackUri;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "filter")
    private LccnSubscriptionRequest.Filter filter;
    @Column(name = "tenant")
    private String tenant;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "authentication")
    private SubscriptionAuthentication authentication;

    protected LccnSubscriptionEntity() {
    }

    public LccnSubscriptionEntity(String id, String callbackUri, LccnSubscriptionRequest.Filter filter, String tenant,
            SubscriptionAuthentication authentication, Instant createdAt) {
        this.id = id;
        this.callbackUri = callbackUri;
        this.filter = filter;
        this.tenant = tenant;
        this.authentication = authentication;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String callbackUri() {
        return callbackUri;
    }

    public LccnSubscriptionRequest.Filter filter() {
        return filter;
    }

    public String tenant() {
        return tenant;
    }

    /** How notifications authenticate to the callback; null: they go without credentials. */
    public SubscriptionAuthentication authentication() {
        return authentication;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
