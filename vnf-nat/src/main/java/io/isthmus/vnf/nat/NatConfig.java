package io.isthmus.vnf.nat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The NAT's configuration, the body of {@code PUT /config} (docs/contracts.md):
 *
 * <pre>
 * {"publicAddress":"203.0.113.10","portRangeStart":20000,"portRangeEnd":29999,
 *  "insideVni":100,"outsideVni":200,
 *  "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}
 * </pre>
 *
 * Every field is required; unknown fields are ignored.
 *
 * @param publicAddress the address inside hosts are translated to (big-endian IPv4)
 * @param portRangeStart the first public port (and ICMP echo identifier) handed out
 * @param portRangeEnd the last, inclusive
 * @param insideVni the VNI of the private side
 * @param outsideVni the VNI of the public side
 * @param insideNextHop where translated replies go (a VXLAN tunnel endpoint)
 * @param outsideNextHop where translated outbound packets go
 */
public record NatConfig(int publicAddress, int portRangeStart, int portRangeEnd, int insideVni, int outsideVni,
        InetSocketAddress insideNextHop, InetSocketAddress outsideNextHop) {

    private static final int MAX_VNI = 0xFF_FFFF;

    /** Reads and validates a config, reporting every problem at once. */
    public static NatConfig from(JsonNode json) throws InvalidConfigException {
        List<String> problems = new ArrayList<>();
        int publicAddress = address(json, "publicAddress", problems);
        int start = integer(json, "portRangeStart", 1, 65535, problems);
        int end = integer(json, "portRangeEnd", 1, 65535, problems);
        int insideVni = integer(json, "insideVni", 0, MAX_VNI, problems);
        int outsideVni = integer(json, "outsideVni", 0, MAX_VNI, problems);
        InetSocketAddress insideNextHop = endpoint(json, "insideNextHop", problems);
        InetSocketAddress outsideNextHop = endpoint(json, "outsideNextHop", problems);
        if (start > 0 && end > 0 && start > end) {
            problems.add("portRangeStart must not be above portRangeEnd");
        }
        if (insideVni >= 0 && insideVni == outsideVni) {
            problems.add("insideVni and outsideVni must differ");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new NatConfig(publicAddress, start, end, insideVni, outsideVni, insideNextHop, outsideNextHop);
    }

    public int portCount() {
        return portRangeEnd - portRangeStart + 1;
    }

    private static int address(JsonNode json, String field, List<String> problems) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            problems.add(field + " is required: an IPv4 address");
            return 0;
        }
        try {
            return Ipv4Addresses.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(field + " is not an IPv4 address: " + node.asText());
            return 0;
        }
    }

    private static int integer(JsonNode json, String field, int min, int max, List<String> problems) {
        JsonNode node = json.get(field);
        if (node == null || !node.isIntegralNumber()) {
            problems.add(field + " is required: an integer in " + min + ".." + max);
            return -1;
        }
        if (!node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            problems.add(field + " must be in " + min + ".." + max + ", got " + node.asText());
            return -1;
        }
        return node.asInt();
    }

    private static InetSocketAddress endpoint(JsonNode json, String field, List<String> problems) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            problems.add(field + " is required: host:port");
            return null;
        }
        try {
            return Ipv4Addresses.parseSocketAddress(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return null;
        }
    }
}
