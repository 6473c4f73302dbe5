package io.isthmus.vnf.mirror;

import java.net.InetSocketAddress;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.fastpath.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The mirror's configuration, the body of {@code PUT /config}: {@code {"nextHop":"127.0.0.1:40001"}}, where every
 * packet goes, VXLAN as it came (Definitions/isthmus_mirror_config.schema.json says the same to the VNFM).
 *
 * @param nextHop the VXLAN tunnel endpoint every flow is forwarded to
 */
public record MirrorConfig(InetSocketAddress nextHop) {

    public static MirrorConfig from(JsonNode json) throws InvalidConfigException {
        JsonNode nextHop = json == null ? null : json.get("nextHop");
        if (nextHop == null || !nextHop.isTextual()) {
            throw new InvalidConfigException(List.of("nextHop is required: host:port"));
        }
        try {
            return new MirrorConfig(Ipv4Addresses.parseSocketAddress(nextHop.asText()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(List.of("nextHop: " + e.getMessage()));
        }
    }
}
