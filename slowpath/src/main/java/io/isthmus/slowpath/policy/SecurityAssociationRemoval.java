package io.isthmus.slowpath.policy;

/**
 * Takes back the security association at {@code index} (REMOVE_SA), e.g. the old SA once a rekeyed one is in use;
 * packets of rules that still name it are dropped. Sent to the fastpaths that take INSTALL_SA.
 */
public record SecurityAssociationRemoval(int index) implements Install {

    public SecurityAssociationRemoval {
        if (index < 0) {
            throw new IllegalArgumentException("SA index is negative: " + index);
        }
    }
}
