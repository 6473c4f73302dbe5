package io.isthmus.outbox.persistence;

/** Delivery state of one outbox row. */
public enum OutboxStatus {
    PENDING, DELIVERED,
    /** Every attempt failed: kept as the dead-letter record. */
    DEAD
}
