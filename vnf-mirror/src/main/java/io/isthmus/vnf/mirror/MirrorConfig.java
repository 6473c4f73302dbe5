package io.isthmus.vnf.mirror;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.slowpath.policy.ConfigFields;
import io.isthmus.slowpath.policy.Egress;
import io.isthmus.slowpath.policy.InvalidConfigException;

/**
 * The mirror's configuration, the body of {@code PUT /config}: {@code {"nextHop":"127.0.0.1:40001"}}, where every
 * packet goes, VXLAN as it came (Definitions/isthmus_mirror_config.schema.json says the same to the VNFM).
 *
 * @param nextHop the VXLAN tunnel endpoint every flow is forwarded to, or the next VNF's ingress (each flow to the
 *        rendezvous pick of its key; none while it has no endpoint)
 */
public record MirrorConfig(Egress nextHop) {

    public static MirrorConfig from(JsonNode json) throws InvalidConfigException {
        if (json == null || !json.isObject()) {
            throw new InvalidConfigException("the configuration must be a JSON object");
        }
        ConfigFields fields = new ConfigFields();
        Egress nextHop = fields.egress(json, "nextHop");
        fields.refuseIfAny();
        return new MirrorConfig(nextHop);
    }
}
