-- The Idempotency-Key of the task request that opened an operation: the same request repeated (a client that crashed
-- after sending it) gets the same operation back instead of a second one (or a 409).
alter table vnf_lcm_op_occ add column idempotency_key varchar(255);
create unique index vnf_lcm_op_occ_idempotency on vnf_lcm_op_occ (vnf_instance_id, idempotency_key)
    where idempotency_key is not null;
