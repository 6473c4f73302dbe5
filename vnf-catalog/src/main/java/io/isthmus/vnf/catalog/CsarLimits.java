package io.isthmus.vnf.catalog;

/**
 * Bounds on what {@link CsarReader} accepts, so that an upload cannot exhaust memory: the archive is read into memory,
 * entry by entry, and reading stops as soon as a bound is crossed, whatever sizes the ZIP headers claim.
 *
 * @param maxArchiveBytes size of the ZIP archive itself
 * @param maxEntries number of entries, directories included
 * @param maxEntryBytes uncompressed size of one entry
 * @param maxTotalBytes uncompressed size of all entries together
 */
public record CsarLimits(long maxArchiveBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes) {

    /** 256 MiB archive, 2,000 entries, 64 MiB per entry, 256 MiB uncompressed in all. */
    public static final CsarLimits DEFAULT = new CsarLimits(256L << 20, 2_000, 64L << 20, 256L << 20);

    public CsarLimits {
        if (maxArchiveBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("CSAR limits must be positive");
        }
    }
}
