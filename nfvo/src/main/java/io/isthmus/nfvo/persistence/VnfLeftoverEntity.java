package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A VNF instance on the VNFM that no NS needs any more, to be terminated and deleted ({@code VnfLeftoverReaper}). */
@Entity
@Table(name = "vnf_leftover")
public class VnfLeftoverEntity {

    @Id
    @Column(name = "vnf_instance_id")
    public String vnfInstanceId;
    @Column(name = "ns_instance_id")
    public String nsInstanceId;
    @Column(name = "tenant")
    public String tenant;
    /** The VNF LCM operation to wait for before the next call: the one that failed, then the terminate. */
    @Column(name = "vnf_op_id")
    public String vnfOpId;
    @Column(name = "since")
    public Instant since;
    @Column(name = "last_error")
    public String lastError;

    protected VnfLeftoverEntity() {
    }

    /** The VNF of {@code member}, of an NS of {@code tenant}, left over at {@code now}. */
    public static VnfLeftoverEntity of(NsVnfEntity member, String tenant, Instant now) {
        VnfLeftoverEntity left = new VnfLeftoverEntity();
        left.vnfInstanceId = member.vnfInstanceId();
        left.nsInstanceId = member.nsInstanceId;
        left.tenant = tenant;
        left.vnfOpId = NsVnfEntity.NO_OPERATION.equals(member.vnfOpId()) ? null : member.vnfOpId();
        left.since = now;
        return left;
    }
}
