-- VNF instances on the VNFM that no NS needs any more (an instantiation given up with fail, an NS deleted while one
-- of its VNFs still existed): the NFVO terminates and deletes them in the background until the VNFM has none left,
-- so no fail or delete leaves an orphan behind, even across restarts.
create table vnf_leftover (
    vnf_instance_id  varchar(64) primary key,
    ns_instance_id   varchar(64) not null,
    tenant           varchar(64) not null,
    -- the VNF LCM operation the reaper waits for (the one that failed, then its terminate), if any
    vnf_op_id        varchar(64),
    since            timestamptz not null,
    last_error       text
);
