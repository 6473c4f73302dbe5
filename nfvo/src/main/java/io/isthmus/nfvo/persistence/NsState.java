package io.isthmus.nfvo.persistence;

/** SOL005 NsInstance.nsState. */
public enum NsState {
    NOT_INSTANTIATED, INSTANTIATED
}
