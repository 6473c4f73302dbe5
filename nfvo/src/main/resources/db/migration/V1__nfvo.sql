-- nfvo's own schema; no other service reads it.
create table vnf_package (
    id                 varchar(36) primary key,
    onboarding_state   varchar(16) not null,
    operational_state  varchar(16) not null,
    usage_state        varchar(16) not null,
    vnfd_id            varchar(255),
    vnf_provider       varchar(255),
    vnf_product_name   varchar(255),
    vnf_software_version varchar(64),
    vnfd_version       varchar(64),
    checksum           varchar(128),
    vnfd               text,
    content            bytea,
    user_defined_data  text,
    created_at         timestamptz not null
);
create unique index vnf_package_vnfd_id on vnf_package (vnfd_id) where vnfd_id is not null;

create table nsd (
    id                 varchar(36) primary key,
    tenant             varchar(64) not null,
    onboarding_state   varchar(16) not null,
    operational_state  varchar(16) not null,
    usage_state        varchar(16) not null,
    nsd_id             varchar(255),
    nsd_name           varchar(255),
    nsd_version        varchar(64),
    nsd_designer       varchar(255),
    nsd_invariant_id   varchar(255),
    -- vnfProfileId=vnfdId pairs, one per line
    vnf_profiles       text,
    content            text,
    user_defined_data  text,
    created_at         timestamptz not null
);
create index nsd_tenant on nsd (tenant, nsd_id);

create table ns_instance (
    id                 varchar(36) primary key,
    tenant             varchar(64) not null,
    name               varchar(255) not null,
    description        varchar(1024) not null,
    nsd_id             varchar(255) not null,
    nsd_info_id        varchar(36) not null references nsd (id),
    flavour_id         varchar(64),
    ns_state           varchar(16) not null,
    created_at         timestamptz not null
);
create index ns_instance_tenant on ns_instance (tenant);

create table ns_vnf (
    id                 varchar(36) primary key,
    ns_instance_id     varchar(36) not null references ns_instance (id),
    vnf_profile_id     varchar(255) not null,
    vnfd_id            varchar(255) not null,
    vnf_instance_id    varchar(36),
    vnf_op_id          varchar(36),
    vnf_op_state       varchar(16),
    additional_params  text
);
create unique index ns_vnf_vnf_instance on ns_vnf (vnf_instance_id) where vnf_instance_id is not null;

create table ns_lcm_op_occ (
    id                 varchar(36) primary key,
    tenant             varchar(64) not null,
    ns_instance_id     varchar(36) not null references ns_instance (id),
    operation          varchar(16) not null,
    state              varchar(16) not null,
    state_entered_time timestamptz not null,
    start_time         timestamptz not null,
    step               varchar(32) not null,
    attempts           integer not null default 0,
    last_poll          timestamptz,
    operation_params   text,
    error_detail       text,
    error_status       integer
);
create index ns_lcm_op_occ_open on ns_lcm_op_occ (state) where state in ('STARTING', 'PROCESSING');
-- one operation at a time per NS instance
create unique index ns_lcm_op_occ_one_open on ns_lcm_op_occ (ns_instance_id) where state in ('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK');

create table grant_record (
    id                 varchar(36) primary key,
    tenant             varchar(64) not null,
    vnf_instance_id    varchar(36) not null,
    vnf_lcm_op_occ_id  varchar(36) not null,
    operation          varchar(32) not null,
    vcpus              integer not null,
    memory_mb          integer not null,
    vim_id             varchar(64),
    zone_id            varchar(64),
    body               text not null,
    created_at         timestamptz not null
);

create table subscription (
    id                 varchar(36) primary key,
    tenant             varchar(64) not null,
    callback_uri       varchar(2048) not null,
    filter             text,
    created_at         timestamptz not null
);
create index subscription_tenant on subscription (tenant);

create table outbox (
    id                 varchar(36) primary key,
    subscription_id    varchar(36) not null,
    callback_uri       varchar(2048) not null,
    payload            text not null,
    state              varchar(16) not null,
    attempts           integer not null default 0,
    next_attempt_at    timestamptz not null,
    last_error         text,
    created_at         timestamptz not null,
    delivered_at       timestamptz
);
create index outbox_pending on outbox (next_attempt_at) where state = 'PENDING';
