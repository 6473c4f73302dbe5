package io.isthmus.control;

/**
 * One security association's counters as a fastpath counts them (or a sum over fastpaths): the SA at {@code index}
 * in the SA table, with its SPI.
 *
 * @param index the SA's slot in the SA table
 * @param spi its SPI
 * @param packets packets it encrypted or decrypted
 * @param bytes their bytes
 * @param replays inbound packets dropped as replays
 * @param authFailures inbound packets dropped because their ICV did not check
 * @param otherDrops packets dropped for any other reason (sequence number exhausted, byte lifetime passed, ...)
 */
public record SaCounters(int index, int spi, long packets, long bytes, long replays, long authFailures,
        long otherDrops) {
}
