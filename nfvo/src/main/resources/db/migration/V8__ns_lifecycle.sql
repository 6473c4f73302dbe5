-- SOL005 NS operations besides instantiate and terminate (scale, heal, update) and their control (cancel, retry,
-- continue). PARTIALLY_COMPLETED is longer than the state column was.
alter table ns_lcm_op_occ alter column state type varchar(32);
-- scaleTime / updateTime / terminationTime in the future: the operation's steps wait until then
alter table ns_lcm_op_occ add column not_before timestamptz;
-- a cancel asked for (GRACEFUL or FORCEFUL), applied at the operation's next step boundary
alter table ns_lcm_op_occ add column cancel_mode varchar(16);
-- continued past VNF operations that failed: it ends PARTIALLY_COMPLETED, not COMPLETED
alter table ns_lcm_op_occ add column partial boolean not null default false;
-- what the NS operation asks of this VNF (SCALE, HEAL, REMOVE...) and the SOL003 request body it sends
alter table ns_vnf add column task_kind varchar(32);
alter table ns_vnf add column task_body text;
