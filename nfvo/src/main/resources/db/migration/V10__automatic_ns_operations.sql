-- An NS operation the NFVO started itself (SOL005 isAutomaticInvocation): a chain rewired after a VNF's ingress
-- changed outside any NS operation.
alter table ns_lcm_op_occ add column automatic boolean not null default false;
