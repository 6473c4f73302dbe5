package io.isthmus.vnfm.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.isthmus.sol.model.LccnSubscriptionRequest;

/** A subscriber to LCM notifications; a tenant's subscription hears only of its own tenant's VNF instances. */
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

    protected LccnSubscriptionEntity() {
    }

    public LccnSubscriptionEntity(String id, String callbackUri, LccnSubscriptionRequest.Filter filter, String tenant,
            Instant createdAt) {
        this.id = id;
        this.callbackUri = callbackUri;
        this.filter = filter;
        this.tenant = tenant;
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

    public Instant createdAt() {
        return createdAt;
    }
}
