-- the NS LCM engine journals like the VNFM's: a version per operation (a step's outcome is dropped if the operation
-- changed while the step ran) and the reason of its last state change
alter table ns_lcm_op_occ add column version bigint not null default 0;
alter table ns_lcm_op_occ add column state_reason text;
drop index ns_lcm_op_occ_open;
create index ns_lcm_op_occ_open on ns_lcm_op_occ (start_time) where state = 'PROCESSING' and step <> 'DONE';

-- the NS view reads the NFVO's own records: each VNF's SOL003 VnfInstance as the engine last read it from the VNFM,
-- and when the VNFM last notified a change of one of its operations
alter table ns_vnf add column vnf_instance text;
alter table ns_vnf add column notified_at timestamptz;
create index ns_vnf_ns_instance on ns_vnf (ns_instance_id);
