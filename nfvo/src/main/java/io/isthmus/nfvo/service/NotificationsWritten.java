package io.isthmus.nfvo.service;

/** Fired when notifications were written to the outbox; the pump sends them once the transaction commits. */
public record NotificationsWritten() {
}
