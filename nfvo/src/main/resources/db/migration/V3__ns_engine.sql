-- the NS LCM engine journals like the VNFM's: a version per operation (a step's outcome is dropped if the operation
-- changed while the step ran) and the reason of its last state change
alter table ns_lcm_op_occ add column version bigint not null default 0;
alter table ns_lcm_op_occ add column state_reason text;
drop index ns_lcm_op_occ_open;
create index ns_lcm_op_occ_open on ns_lcm_op_occ (start_time) where state = 'PROCESSING' and step <> 'DONE';

-- the NS view reads the NFVO's own records: each VNF's SOL003 VnfInstance as last read from the VNFM, when it was
-- read, and when the VNFM last notified a change of one of the VNF's operations (a notification newer than the read
-- makes the engine read it again)
alter table ns_vnf add column vnf_instance text;
alter table ns_vnf add column vnf_instance_read_at timestamptz;
alter table ns_vnf add column notified_at timestamptz;
create index ns_vnf_stale_view on ns_vnf (notified_at) where vnf_instance_id is not null and notified_at is not null;
create index ns_vnf_ns_instance on ns_vnf (ns_instance_id);
