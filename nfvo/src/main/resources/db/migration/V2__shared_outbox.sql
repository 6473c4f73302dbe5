-- The outbox module's table (io.isthmus.outbox) replaces the NFVO's own: the same rows, in the order they were written;
-- redelivery is the delivery route's now, so next_attempt_at goes.
create table notification_outbox (
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
insert into notification_outbox (id, subscription_id, callback_uri, payload, status, attempts, created_at, finished_at,
                                 last_error)
select id, subscription_id, callback_uri, payload, state, attempts, created_at, delivered_at, last_error
from outbox order by created_at, id;
drop table outbox;
create index notification_outbox_pending on notification_outbox (seq) where status = 'PENDING';
create index notification_outbox_subscription on notification_outbox (subscription_id);
