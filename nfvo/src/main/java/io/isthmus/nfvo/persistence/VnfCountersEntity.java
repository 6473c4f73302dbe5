package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The data-plane counters of one VNF of an NS as last read from the VNFM ({@code dataplane.*} indicators): the sums
 * over the fastpaths its slowpath knew then. Written by {@link NsVnfRepository#recordCounters} only; read for the NS
 * view.
 */
@Entity
@Table(name = "vnf_counters")
public class VnfCountersEntity {
    /** The NS's VNF ({@link NsVnfEntity}) the counters are of. */
    @Id
    @Column(name = "ns_vnf_id")
    public String nsVnfId;
    /** The VNF instance the NS's VNF had when they were read; the view shows them only while it still has it. */
    @Column(name = "vnf_instance_id")
    public String vnfInstanceId;
    public long packets;
    public long bytes;
    public long drops;
    @Column(name = "read_at")
    public Instant readAt;
}
