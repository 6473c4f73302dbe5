package io.isthmus.vnf.catalog;

import java.util.Objects;

/**
 * One file of the package.
 *
 * @param path path inside the archive
 * @param sizeBytes uncompressed size
 * @param checksum SHA-256 of the content, computed by the reader
 * @param manifestChecksum the digest the manifest declares for the file (verified equal in its own algorithm), or
 *            null for the files a manifest does not list: the manifest itself, TOSCA.meta when not listed, certificates
 *            and signatures
 */
public record PackageArtifact(String path, long sizeBytes, Checksum checksum, Checksum manifestChecksum) {

    public PackageArtifact {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(checksum, "checksum");
    }
}
