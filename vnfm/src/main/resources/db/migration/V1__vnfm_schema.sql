-- The vnfm's own tables: VNF instances, their LCM operation occurrences (the journal of the operation engine),
-- LCM subscriptions and the outbox of notifications to deliver.

create table vnf_instance (
    id                    varchar(64)  primary key,
    vnfd_id               varchar(255) not null,
    vnf_instance_name     varchar(255),
    vnf_instance_description text,
    vnf_provider          varchar(255) not null,
    vnf_product_name      varchar(255) not null,
    vnf_software_version  varchar(255) not null,
    vnfd_version          varchar(255) not null,
    vnf_pkg_id            varchar(64),
    instantiation_state   varchar(32)  not null,
    flavour_id            varchar(64),
    vnf_state             varchar(16),
    vnfc_resources        jsonb,
    metadata              jsonb        not null default '{}'::jsonb,
    -- metadata.tenant, kept apart so that every read can be scoped by it
    tenant                varchar(255),
    allocation_id         varchar(128),
    created_at            timestamptz  not null,
    version               bigint       not null default 0
);
create index vnf_instance_tenant on vnf_instance (tenant);

create table vnf_lcm_op_occ (
    id                      varchar(64) primary key,
    vnf_instance_id         varchar(64) not null references vnf_instance (id) on delete cascade,
    tenant                  varchar(255),
    operation               varchar(32) not null,
    operation_state         varchar(32) not null,
    state_entered_time      timestamptz not null,
    state_reason            text,
    start_time              timestamptz not null,
    is_automatic_invocation boolean     not null default false,
    is_cancel_pending       boolean     not null default false,
    operation_params        jsonb,
    grant_id                varchar(64),
    -- the journal: the next step to run, its failed attempts so far, when it may run again, what earlier steps found
    step                    varchar(32) not null,
    attempts                integer     not null default 0,
    next_attempt_at         timestamptz not null,
    work                    jsonb,
    error                   jsonb,
    version                 bigint      not null default 0
);
create index vnf_lcm_op_occ_instance on vnf_lcm_op_occ (vnf_instance_id);
create index vnf_lcm_op_occ_tenant on vnf_lcm_op_occ (tenant);
create index vnf_lcm_op_occ_due on vnf_lcm_op_occ (next_attempt_at)
    where operation_state in ('STARTING', 'PROCESSING');
-- one operation at a time per VNF instance: an operation not yet closed (FAILED_TEMP included) blocks the next one
create unique index vnf_lcm_op_occ_one_open on vnf_lcm_op_occ (vnf_instance_id)
    where operation_state not in ('COMPLETED', 'FAILED', 'ROLLED_BACK');

create table lccn_subscription (
    id           varchar(64) primary key,
    callback_uri text        not null,
    filter       jsonb,
    tenant       varchar(255),
    created_at   timestamptz not null
);
create unique index lccn_subscription_callback on lccn_subscription (callback_uri, coalesce(tenant, ''));

create table lcm_notification_outbox (
    id              varchar(64) primary key,
    seq             bigint generated always as identity,
    subscription_id varchar(64) not null,
    callback_uri    text        not null,
    payload         text        not null,
    status          varchar(16) not null,
    attempts        integer     not null default 0,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    last_error      text
);
create index lcm_notification_outbox_pending on lcm_notification_outbox (seq) where status = 'PENDING';
