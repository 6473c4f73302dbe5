package io.isthmus.vnf.mirror;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.Action;
import io.isthmus.control.Rule;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * The mirror (VNF type {@code "mirror"}): every flow is forwarded unchanged — same VNI, same headers — to the one
 * configured next hop (of an ingress, the pick of the flow), and counted. It keeps no state: a fastpath that loses its cache is taught each flow again.
 */
public final class MirrorPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "mirror";
    private static final Action COUNT = new Action.Count();

    private MirrorConfig config;

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    @Override
    public boolean configure(JsonNode json) throws InvalidConfigException {
        MirrorConfig next = MirrorConfig.from(json);
        boolean changed = config != null && !next.equals(config);
        config = next;
        // rules installed for another next hop send packets to the wrong place
        return changed;
    }

    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return Decision.drop("not configured");
        }
        // unchanged: the packet leaves with the key it came with
        return Decision.forward(Rule.of(miss.key(), COUNT, config.nextHop().action(miss.key())));
    }
}
