package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A grant given to the VNFM; {@code body} is the Grant as returned. */
@Entity
@Table(name = "grant_record")
public class GrantEntity {
    @Id
    public String id;
    public String tenant;
    @Column(name = "vnf_instance_id")
    public String vnfInstanceId;
    @Column(name = "vnf_lcm_op_occ_id")
    public String vnfLcmOpOccId;
    public String operation;
    public int vcpus;
    @Column(name = "memory_mb")
    public int memoryMb;
    @Column(name = "vim_id")
    public String vimId;
    @Column(name = "zone_id")
    public String zoneId;
    public String body;
    @Column(name = "created_at")
    public Instant createdAt;
}
