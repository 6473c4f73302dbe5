-- The data-plane counters of each VNF of an instantiated NS as last read from the VNFM (its dataplane.* indicators,
-- contracts.md "Service chains in the NSD"), which the NS view shows: a GET never asks the VNFM. One row per VNF of an
-- NS, for the VNF instance it had when read: a row whose VNF instance the NS's VNF no longer has is not shown and is
-- dropped at the next round; it goes with the NS's VNF.
create table vnf_counters (
    ns_vnf_id        varchar(36) primary key references ns_vnf (id) on delete cascade,
    vnf_instance_id  varchar(36) not null,
    packets          bigint not null,
    bytes            bigint not null,
    drops            bigint not null,
    read_at          timestamptz not null
);
