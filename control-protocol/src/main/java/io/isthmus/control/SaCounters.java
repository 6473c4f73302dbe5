package io.isthmus.control;

/**
 * The counters of one ESP security association, as a fastpath's STATS_RESPONSE carries them or summed over
 * fastpaths. Packets and bytes are those the SA protected (outbound) or authenticated and delivered (inbound), bytes
 * of the inner IPv4 packets.
 *
 * @param index the SA's slot in the fastpath's SA table
 * @param spi the SA's SPI (the last installed in the slot)
 * @param packets packets encrypted (outbound) or decrypted and delivered (inbound)
 * @param bytes the inner IPv4 bytes of those packets
 * @param replays inbound packets dropped by the anti-replay window (duplicates, or older than the window)
 * @param authFailures inbound packets whose ICV did not verify
 * @param otherDrops packets dropped for another reason: byte limit reached, sequence numbers exhausted, a bad
 *        trailer, the wrong encapsulation, no room to grow
 */
public record SaCounters(int index, int spi, long packets, long bytes, long replays, long authFailures,
        long otherDrops) {

    /** The sum of two fastpaths' counters of the same slot (the SPI is this one's). */
    public SaCounters plus(SaCounters other) {
        return new SaCounters(index, spi, packets + other.packets, bytes + other.bytes, replays + other.replays,
                authFailures + other.authFailures, otherDrops + other.otherDrops);
    }

    /** Whether any counter is below {@code earlier}'s: the fastpath that counted them started again. */
    public boolean isBelow(SaCounters earlier) {
        return packets < earlier.packets || bytes < earlier.bytes || replays < earlier.replays
                || authFailures < earlier.authFailures || otherDrops < earlier.otherDrops;
    }
}
