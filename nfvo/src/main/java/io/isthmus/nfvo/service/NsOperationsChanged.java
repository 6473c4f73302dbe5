package io.isthmus.nfvo.service;

/** Fired when an NS operation was started or a VNF it waits for reported; the engine runs once the transaction commits. */
public record NsOperationsChanged(String nsInstanceId) {
}
