package io.isthmus.outbox;

/** Fired when a notification was queued; the pump delivers once the transaction that queued it commits. */
public record OutboxWritten(String id) {
}
