package io.isthmus.vnfm.persistence;

/** SOL003 VnfInstance.instantiationState. */
public enum InstantiationState {
    NOT_INSTANTIATED, INSTANTIATED
}
