package io.isthmus.slowpath.policy;

import io.isthmus.control.SecurityAssociation;

/** An ESP security association for the rules' ESP_ENCRYPT and ESP_DECRYPT actions (INSTALL_SA). */
public record SecurityAssociationInstall(SecurityAssociation securityAssociation) implements Install {

    public SecurityAssociationInstall {
        if (securityAssociation == null) {
            throw new IllegalArgumentException("an SA install has an SA");
        }
    }
}
