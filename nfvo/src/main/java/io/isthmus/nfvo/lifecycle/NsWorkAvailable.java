package io.isthmus.nfvo.lifecycle;

/**
 * Fired in a transaction that gave the engine work (an operation opened or changed state, a VNF it waits for was
 * notified): the worker runs as soon as the transaction commits instead of at its next tick.
 */
public record NsWorkAvailable() {
}
