package io.isthmus.vnfm.persistence;

/** Whether an operation occurrence walks its steps forward or its rollback steps. */
public enum OperationPhase {
    FORWARD, ROLLBACK
}
