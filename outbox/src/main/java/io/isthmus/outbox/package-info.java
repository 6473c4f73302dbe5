/**
 * The notification outbox shared by the services: {@link io.isthmus.outbox.Outbox} queues a notification in the
 * caller's transaction, {@link io.isthmus.outbox.OutboxConfig} paces its delivery. Who hears of what stays in each
 * service.
 */
package io.isthmus.outbox;
