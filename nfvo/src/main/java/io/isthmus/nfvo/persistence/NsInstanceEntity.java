package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An NS instance (SOL005 NsInstance); its NS state changes only when one of its operations completes. */
@Entity
@Table(name = "ns_instance")
public class NsInstanceEntity {
    @Id
    public String id;
    public String tenant;
    public String name;
    public String description;
    @Column(name = "nsd_id")
    public String nsdId;
    @Column(name = "nsd_info_id")
    public String nsdInfoId;
    @Column(name = "flavour_id")
    public String flavourId;
    @Enumerated(EnumType.STRING)
    @Column(name = "ns_state")
    private NsState nsState = NsState.NOT_INSTANTIATED;
    @Column(name = "created_at")
    public Instant createdAt;

    public NsState nsState() {
        return nsState;
    }

    /** {@code operation} completed. */
    public void completed(NsOperationType operation) {
        nsState = operation.resultingState();
    }
}
