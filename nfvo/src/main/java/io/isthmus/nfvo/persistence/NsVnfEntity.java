package io.isthmus.nfvo.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One constituent VNF of an NS instance: the VNF profile of the NSD and the VNFM's instance behind it. */
@Entity
@Table(name = "ns_vnf")
public class NsVnfEntity {
    @Id
    public String id;
    @Column(name = "ns_instance_id")
    public String nsInstanceId;
    @Column(name = "vnf_profile_id")
    public String vnfProfileId;
    @Column(name = "vnfd_id")
    public String vnfdId;
    @Column(name = "vnf_instance_id")
    public String vnfInstanceId;
    /** The VNF LCM operation the NS operation waits for, and its last known state. */
    @Column(name = "vnf_op_id")
    public String vnfOpId;
    @Column(name = "vnf_op_state")
    public String vnfOpState;
    @Column(name = "additional_params")
    public String additionalParams;
}
