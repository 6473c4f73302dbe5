-- Issue 10: the whole VNF lifecycle. The journal says which phase an operation is in (forward or rolling back),
-- which step is in flight and which vnfm process holds it (a lease it renews while the step runs): a vnfm that dies
-- mid-step leaves the step in flight with an expired lease, and the next vnfm marks the operation FAILED_TEMP.
alter table vnf_lcm_op_occ add column phase varchar(16) not null default 'FORWARD';
alter table vnf_lcm_op_occ add column step_in_flight varchar(32);
alter table vnf_lcm_op_occ add column lease_owner varchar(64);
alter table vnf_lcm_op_occ add column lease_until timestamptz;
alter table vnf_lcm_op_occ add column cancel_mode varchar(16);
drop index vnf_lcm_op_occ_due;
create index vnf_lcm_op_occ_due on vnf_lcm_op_occ (next_attempt_at)
    where operation_state in ('STARTING', 'PROCESSING', 'ROLLING_BACK');

-- What an instantiated VNF is now beyond its VNFCs: scale level per aspect, the VNFD's maximum levels, the VNFCs in
-- its published ingress, its external connection points, the client's extensions; and the Idempotency-Key its
-- creation carried.
alter table vnf_instance add column scale_status jsonb;
alter table vnf_instance add column max_scale_levels jsonb;
alter table vnf_instance add column ingress jsonb;
alter table vnf_instance add column ext_cps jsonb;
alter table vnf_instance add column extensions jsonb;
alter table vnf_instance add column idempotency_key varchar(255);
create unique index vnf_instance_idempotency on vnf_instance (coalesce(tenant, ''), idempotency_key)
    where idempotency_key is not null;
