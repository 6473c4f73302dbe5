-- The outbox module's table (io.isthmus.outbox): the same rows under the name every service uses.
alter table lcm_notification_outbox rename to notification_outbox;
alter index lcm_notification_outbox_pending rename to notification_outbox_pending;
create index notification_outbox_subscription on notification_outbox (subscription_id);
