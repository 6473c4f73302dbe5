-- VNF snapshots (SOL003 clause 5.4.23/5.4.24): an "individual VNF snapshot" resource is created empty, then filled by a
-- CREATE_SNAPSHOT operation of one VNF instance: the instance as it was (vnf_snapshot, jsonb) and its slowpath's
-- snapshot body (GET /snapshot: config, state, takenAt), kept as the text it was so that revert PUTs it back unchanged.
-- No foreign key: a snapshot outlives its instance. taking_op_id names the operation that fills it while one does.
create table vnf_snapshot (
    id                varchar(64)  primary key,
    tenant            varchar(255),
    created_at        timestamptz  not null,
    vnf_instance_id   varchar(64),
    vnfd_id           varchar(255),
    taking_op_id      varchar(64),
    vnf_snapshot      jsonb,
    state             text,
    user_defined_data jsonb,
    version           bigint       not null default 0
);
create index vnf_snapshot_tenant on vnf_snapshot (tenant);
create index vnf_snapshot_instance on vnf_snapshot (vnf_instance_id);
