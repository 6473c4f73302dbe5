package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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
    @Column(name = "ns_state")
    public String nsState;
    @Column(name = "created_at")
    public Instant createdAt;
}
