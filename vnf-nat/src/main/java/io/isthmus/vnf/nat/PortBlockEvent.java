package io.isthmus.vnf.nat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.isthmus.control.Ipv4Addresses;

/**
 * An inside host got a block of ports of a public address, or gave it back: what the NAT logs so that an operator can
 * tell who had a public address and port at a given time (port-block logging in the manner of RFC 7422 and RFC 6888
 * REQ-14: one line per block, not per session).
 *
 * @param allocated true when the host got the block, false when it gave it back
 * @param insideAddress the inside host (big-endian IPv4)
 * @param publicAddress the public address (big-endian IPv4)
 * @param firstPort the block's first port
 * @param lastPort its last, inclusive
 * @param learned the block was allocated by an earlier slowpath and learned back from the rules the fastpaths held
 *        (the line's time is when it was learned)
 */
record PortBlockEvent(boolean allocated, int insideAddress, int publicAddress, int firstPort, int lastPort,
        boolean learned) {

    /** UTC to the millisecond, always as wide: lines sort and compare as text. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The log line, fields as {@code key=value} in a fixed order, e.g. {@code nat-port-block
     * time=2026-01-31T10:02:00.000Z event=allocated inside=10.0.0.5 public=203.0.113.10 ports=40064-40127}; a learned
     * block's line ends with {@code learned=true}.
     */
    String logLine(Instant time) {
        return "nat-port-block time=" + TIME.format(time) + " event=" + (allocated ? "allocated" : "released")
                + " inside=" + Ipv4Addresses.format(insideAddress) + " public=" + Ipv4Addresses.format(publicAddress)
                + " ports=" + firstPort + "-" + lastPort + (learned ? " learned=true" : "");
    }
}
