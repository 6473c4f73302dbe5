package io.isthmus.vnfm.lifecycle;

/**
 * Fired when an operation opened or changed state: the worker runs as soon as the transaction commits instead of at
 * its next tick. (The notification pump keeps its tick: Camel redelivers asynchronously, and a pump woken more often
 * would hand a row still being redelivered over again.)
 */
public record WorkAvailable() {
}
