-- The VIM's own database: capacity pools, tenant quotas, allocations and where their components run.

-- One pool per driver: `local` (this host) always, `kubernetes` when its driver is enabled. Totals come
-- from configuration (isthmus.vim.local.*, isthmus.vim.kubernetes.*), so CapacityService seeds and
-- resizes the rows at every start-up rather than this script; used is what live allocations hold.
create table capacity_pool (
    id              varchar(64)  primary key,
    driver          varchar(16)  not null unique,
    enabled         boolean      not null,
    vcpus_total     integer      not null check (vcpus_total >= 0),
    memory_mb_total bigint       not null check (memory_mb_total >= 0),
    vcpus_used      integer      not null default 0 check (vcpus_used >= 0),
    memory_mb_used  bigint       not null default 0 check (memory_mb_used >= 0)
);

-- A row per tenant that ever allocated or was given limits; null limits mean the configured default.
create table tenant_quota (
    tenant_id       varchar(128) primary key,
    vcpus_limit     integer      check (vcpus_limit >= 0),
    memory_mb_limit bigint       check (memory_mb_limit >= 0),
    vcpus_used      integer      not null default 0 check (vcpus_used >= 0),
    memory_mb_used  bigint       not null default 0 check (memory_mb_used >= 0),
    updated_at      timestamp with time zone not null
);

-- vcpus / memory_mb are what the allocation charged to its pool and its tenant's quota while charged
-- (states STARTING, ACTIVE, STOPPING).
create table allocation (
    id               varchar(128) primary key,
    tenant_id        varchar(128) not null,
    vnf_instance_id  varchar(128) not null,
    vnf_type         varchar(32)  not null,
    driver           varchar(16)  not null,
    pool_id          varchar(64)  not null references capacity_pool (id),
    state            varchar(16)  not null,
    state_reason     varchar(1000),
    state_entered_at timestamp with time zone not null,
    created_at       timestamp with time zone not null,
    vcpus            integer      not null,
    memory_mb        bigint       not null
);
create index allocation_driver_state on allocation (driver, state);
create index allocation_tenant on allocation (tenant_id);

-- What was asked for: one row per component of the request.
create table allocation_component (
    id            bigserial    primary key,
    allocation_id varchar(128) not null references allocation (id) on delete cascade,
    position      integer      not null,
    name          varchar(63)  not null,
    role          varchar(16)  not null,
    replicas      integer      not null check (replicas >= 1),
    vcpus         integer      not null check (vcpus >= 1),
    memory_mb     bigint       not null check (memory_mb >= 1),
    unique (allocation_id, name)
);

-- Where each replica runs: a local process (pid, ports) or a Kubernetes workload (resource name).
create table component_placement (
    id             bigserial    primary key,
    allocation_id  varchar(128) not null references allocation (id) on delete cascade,
    component_name varchar(63)  not null,
    role           varchar(16)  not null,
    replica_index  integer      not null,
    host           varchar(253) not null,
    control_port   integer,
    config_port    integer,
    data_port      integer,
    pid            bigint,
    resource_name  varchar(253),
    unique (allocation_id, component_name, replica_index)
);
