package io.isthmus.vnf.vpn.ike;

/**
 * An IKEv2 traffic selector of type TS_IPV4_ADDR_RANGE (RFC 7296 §3.13.1): an inclusive address range, an IP protocol
 * (0 = any) and an inclusive port range (0-65535 = any).
 */
public record TrafficSelector(int startAddress, int endAddress, int protocol, int startPort, int endPort) {

    /** All traffic of a prefix, any protocol and port. */
    public static TrafficSelector prefix(int address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return new TrafficSelector(address & mask, (address & mask) | ~mask, 0, 0, 65535);
    }

    /** The intersection of two selectors, or null when they are disjoint. */
    public TrafficSelector intersect(TrafficSelector other) {
        int start = Integer.compareUnsigned(startAddress, other.startAddress) >= 0 ? startAddress : other.startAddress;
        int end = Integer.compareUnsigned(endAddress, other.endAddress) <= 0 ? endAddress : other.endAddress;
        if (Integer.compareUnsigned(start, end) > 0) {
            return null;
        }
        int proto;
        if (protocol == 0) {
            proto = other.protocol;
        } else if (other.protocol == 0 || other.protocol == protocol) {
            proto = protocol;
        } else {
            return null;
        }
        int portStart = Math.max(startPort, other.startPort);
        int portEnd = Math.min(endPort, other.endPort);
        if (portStart > portEnd) {
            return null;
        }
        return new TrafficSelector(start, end, proto, portStart, portEnd);
    }

    @Override
    public String toString() {
        String range = Endpoint.dotted(startAddress) + "-" + Endpoint.dotted(endAddress);
        if (protocol == 0 && startPort == 0 && endPort == 65535) {
            return range;
        }
        return range + "[" + protocol + "/" + startPort + "-" + endPort + "]";
    }
}
