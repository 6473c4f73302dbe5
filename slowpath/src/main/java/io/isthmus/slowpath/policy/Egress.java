package io.isthmus.slowpath.policy;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.ingress.RendezvousIngress;

/**
 * Where the packets leaving a VNF by one of its connection points go (its next-hop key, docs/contracts.md "Next hops:
 * NS endpoints"): one VXLAN endpoint ({@code "host:port"}), or the next VNF's published <em>ingress</em>
 * ({@code {"hash": "rendezvous-v1", "endpoints": [{"vnfcId": …, "address": "host:port"}, …]}}), over whose endpoints
 * each flow goes to one, the rendezvous pick ({@link RendezvousIngress}) of the packet's key as it leaves. An ingress
 * without endpoints is not wired yet: what would leave by it is dropped.
 * <p>
 * Immutable. The ingress hash and each endpoint's {@link Action.SetNextHop} are made once, so {@link #action} allocates
 * nothing: it is on the slowpath's miss path. Two egresses are equal when they send every flow the same way: the same
 * endpoint, or the same set of (vnfcId, address) whatever their order; {@link #toJson} gives the form read.
 */
public final class Egress {

    /** The hash an ingress object names, the only one there is (docs/contracts.md "Ingress"). */
    public static final String HASH = "rendezvous-v1";
    /** The most endpoints an ingress may have (the route tables' ECMP holds as many next hops). */
    public static final int MAX_ENDPOINTS = 16;

    private static final Action DROP = new Action.Drop();

    /**
     * One endpoint of an ingress: the id it is hashed by and where to send.
     *
     * @param vnfcId the VNFC instance id of the fastpath, the rendezvous hash's id (non-empty)
     * @param address its VXLAN endpoint (IPv4)
     */
    public record Endpoint(String vnfcId, InetSocketAddress address) {
        public Endpoint {
            if (vnfcId == null || vnfcId.isEmpty()) {
                throw new IllegalArgumentException("an ingress endpoint has a vnfcId");
            }
            Objects.requireNonNull(address, "address");
        }
    }

    /** Null for an ingress. */
    private final InetSocketAddress single;
    /** An ingress's endpoints in UTF-8 order of their ids ({@link RendezvousIngress#endpoints()}'s); empty for one. */
    private final List<Endpoint> endpoints;
    /** Null unless an ingress with endpoints. */
    private final RendezvousIngress ingress;
    /** The next hop of each endpoint, indexed as {@link #endpoints}; one element for a single endpoint. */
    private final Action.SetNextHop[] nextHops;
    private final List<InetSocketAddress> addresses;
    private final JsonNode json;

    private Egress(InetSocketAddress single, List<Endpoint> sorted, JsonNode json) {
        this.single = single;
        this.endpoints = sorted;
        this.json = json;
        if (single != null) {
            this.ingress = null;
            this.nextHops = new Action.SetNextHop[]{Action.SetNextHop.of(single)};
            this.addresses = List.of(single);
        } else {
            this.ingress = sorted.isEmpty()
                    ? null
                    : RendezvousIngress.of(sorted.stream().map(Endpoint::vnfcId).toList());
            this.nextHops = sorted.stream().map(e -> Action.SetNextHop.of(e.address()))
                    .toArray(Action.SetNextHop[]::new);
            this.addresses = sorted.stream().map(Endpoint::address).toList();
        }
    }

    /** One VXLAN endpoint, every flow to it; its JSON is {@code "host:port"}. */
    public static Egress of(InetSocketAddress endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new Egress(endpoint, List.of(), TextNode.valueOf(format(endpoint)));
    }

    /**
     * An ingress, each flow to the rendezvous pick among its endpoints; none is "not wired yet".
     *
     * @throws IllegalArgumentException with more than {@link #MAX_ENDPOINTS} endpoints, or a vnfcId given twice
     */
    public static Egress ingress(List<Endpoint> endpoints) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("hash", HASH);
        ArrayNode array = json.putArray("endpoints");
        for (Endpoint endpoint : endpoints) {
            array.addObject().put("vnfcId", endpoint.vnfcId()).put("address", format(endpoint.address()));
        }
        return ingress(endpoints, json);
    }

    /** An ingress read from {@code json}, which {@link #toJson} gives back. */
    static Egress ingress(List<Endpoint> endpoints, JsonNode json) {
        if (endpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("an ingress has at most " + MAX_ENDPOINTS + " endpoints");
        }
        Map<String, Endpoint> byId = new HashMap<>();
        for (Endpoint endpoint : endpoints) {
            if (byId.put(endpoint.vnfcId(), endpoint) != null) {
                throw new IllegalArgumentException("vnfcId " + endpoint.vnfcId() + " is given twice");
            }
        }
        // the endpoints in the order RendezvousIngress keeps its ids, which its pickIndex indexes
        List<Endpoint> sorted = endpoints.isEmpty()
                ? List.of()
                : RendezvousIngress.of(List.copyOf(byId.keySet())).endpoints().stream().map(byId::get).toList();
        return new Egress(null, sorted, json.deepCopy());
    }

    /** One endpoint read from {@code json} (its text as given). */
    static Egress of(InetSocketAddress endpoint, JsonNode json) {
        return new Egress(endpoint, List.of(), json.deepCopy());
    }

    /**
     * What a rule does with a packet leaving by this egress: SET_NEXT_HOP to the endpoint, or to the pick of the
     * packet's flow among the ingress's endpoints, or DROP if the ingress has none. Allocates nothing.
     *
     * @param leaving the packet's key as it leaves (after the VNF's rewrites); its VNI does not count
     */
    public Action action(FlowKey leaving) {
        return action(leaving.srcAddress(), leaving.dstAddress(), leaving.protocol(), leaving.srcPort(),
                leaving.dstPort());
    }

    /** {@link #action(FlowKey)} of a packet's fields as it leaves, without a key. */
    public Action action(int srcAddress, int dstAddress, int protocol, int srcPort, int dstPort) {
        Action.SetNextHop nextHop = nextHop(srcAddress, dstAddress, protocol, srcPort, dstPort);
        return nextHop == null ? DROP : nextHop;
    }

    /** The next hop of a packet's fields as it leaves, or null if the ingress has no endpoint. Allocates nothing. */
    public Action.SetNextHop nextHop(int srcAddress, int dstAddress, int protocol, int srcPort, int dstPort) {
        if (single != null) {
            return nextHops[0];
        }
        if (ingress == null) {
            return null;
        }
        if (nextHops.length == 1) {
            return nextHops[0];
        }
        return nextHops[ingress.pickIndex(
                RendezvousIngress.flowHash(srcAddress, dstAddress, protocol, srcPort, dstPort))];
    }

    /** The next hop of a packet leaving with {@code leaving}, or null if the ingress has no endpoint. */
    public Action.SetNextHop nextHop(FlowKey leaving) {
        return nextHop(leaving.srcAddress(), leaving.dstAddress(), leaving.protocol(), leaving.srcPort(),
                leaving.dstPort());
    }

    /**
     * A packet the policy made, sent by this egress: to the next hop of its key as it leaves, or empty (not sent) if
     * the ingress has no endpoint.
     */
    public Optional<Transmit> transmit(byte[] packet, FlowKey leaving) {
        Action.SetNextHop nextHop = nextHop(leaving);
        return nextHop == null
                ? Optional.empty()
                : Optional.of(new Transmit(packet, nextHop.address(), nextHop.port()));
    }

    /** Whether it is one endpoint (not an ingress). */
    public boolean isSingle() {
        return single != null;
    }

    /** Whether packets leave by it at all: one endpoint, or an ingress with at least one. */
    public boolean isWired() {
        return single != null || ingress != null;
    }

    /** Every endpoint's address: the one, or the ingress's in UTF-8 order of their vnfcIds (none if not wired). */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** The ingress's endpoints in UTF-8 order of their vnfcIds; empty for one endpoint. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The JSON it was read from or stands for: {@code "host:port"}, or the ingress object. */
    public JsonNode toJson() {
        return json.deepCopy();
    }

    private static String format(InetSocketAddress address) {
        return Ipv4Addresses.format(Ipv4Addresses.of(address.getAddress())) + ":" + address.getPort();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Egress that && Objects.equals(single, that.single)
                && endpoints.equals(that.endpoints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(single, endpoints);
    }

    @Override
    public String toString() {
        if (single != null) {
            return format(single);
        }
        if (endpoints.isEmpty()) {
            return "ingress[not wired]";
        }
        StringBuilder s = new StringBuilder("ingress[");
        for (int i = 0; i < endpoints.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(endpoints.get(i).vnfcId()).append('=')
                    .append(format(endpoints.get(i).address()));
        }
        return s.append(']').toString();
    }
}
