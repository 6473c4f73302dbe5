package io.isthmus.control.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.isthmus.control.FlowKey;

/**
 * Spreads the inner flows a sender tunnels to a VNF over the VNF's fastpath endpoints (its "ingress") by rendezvous
 * hashing (highest random weight): each flow goes to the endpoint with the highest score for it, so every packet of a
 * flow reaches the same fastpath, and a change of the endpoint set moves only the flows it must: adding an endpoint
 * moves to it about {@code 1/(n+1)} of the flows and nothing else; removing one moves only its own flows.
 * <p>
 * The hash is part of the contract (docs/contracts.md, "Ingress"), so that a sender written elsewhere picks the same
 * endpoint:
 *
 * <pre>
 * mix64(z)          = SplitMix64's finaliser (constants below)
 * flowHash(flow)    = mix64(mix64((src &lt;&lt; 32 | dst) + GOLDEN) ^ (protocol &lt;&lt; 32 | srcPort &lt;&lt; 16 | dstPort))
 * endpointHash(id)  = mix64(FNV-1a 64 of the id's UTF-8 bytes)
 * score             = mix64(flowHash ^ endpointHash), compared unsigned; equal scores: the first id in UTF-8 order
 * </pre>
 *
 * The VNI is not part of the flow: the same inner flow reaches the same fastpath whichever segment it comes on.
 * <p>
 * Immutable and thread-safe; the endpoint hashes are computed once, and {@link #pick} allocates nothing, for a sender's
 * hot loop. A new endpoint set is a new instance.
 */
public final class RendezvousIngress {

    /** SplitMix64's increment, the golden ratio: keeps the all-zero address pair from hashing to 0. */
    static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    static final long MIX_1 = 0xBF58_476D_1CE4_E5B9L;
    static final long MIX_2 = 0x94D0_49BB_1331_11EBL;
    static final long FNV_OFFSET_BASIS = 0xCBF2_9CE4_8422_2325L;
    static final long FNV_PRIME = 0x0000_0100_0000_01B3L;

    /** Endpoint ids in UTF-8 byte order, so that the first of equal scores is the smallest id. */
    private final String[] ids;
    private final long[] hashes;
    private final List<String> endpoints;

    private RendezvousIngress(String[] ids) {
        this.ids = ids;
        this.hashes = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            hashes[i] = endpointHash(ids[i]);
        }
        this.endpoints = List.of(ids);
    }

    /**
     * An ingress over these endpoints, in any order.
     *
     * @param endpointIds distinct, non-empty ids (e.g. {@code 127.0.0.1:40001}, or VNFC instance ids); at least one
     * @throws IllegalArgumentException when there is none, or an id is empty or repeated
     */
    public static RendezvousIngress of(Collection<String> endpointIds) {
        Objects.requireNonNull(endpointIds, "endpointIds");
        if (endpointIds.isEmpty()) {
            throw new IllegalArgumentException("an ingress needs at least one endpoint");
        }
        Set<String> seen = new HashSet<>();
        for (String id : endpointIds) {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("an endpoint id is empty");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("endpoint " + id + " is given twice");
            }
        }
        String[] ids = endpointIds.toArray(String[]::new);
        Arrays.sort(ids, (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        return new RendezvousIngress(ids);
    }

    /** See {@link #of(Collection)}. */
    public static RendezvousIngress of(String... endpointIds) {
        return of(Arrays.asList(endpointIds));
    }

    /** The endpoints, in UTF-8 byte order of their ids; {@link #pickIndex} indexes this list. */
    public List<String> endpoints() {
        return endpoints;
    }

    public int size() {
        return ids.length;
    }

    /**
     * The endpoint of an inner IPv4 flow.
     *
     * @param srcAddress source address, big-endian ({@code 10.0.0.1} is {@code 0x0A000001})
     * @param dstAddress destination address, big-endian
     * @param protocol IPv4 protocol number; only its low 8 bits count
     * @param srcPort source port (ICMP echo: the identifier, as in {@link FlowKey}); only its low 16 bits count
     * @param dstPort destination port; only its low 16 bits count
     */
    public String pick(int srcAddress, int dstAddress, int protocol, int srcPort, int dstPort) {
        return ids[pickIndex(flowHash(srcAddress, dstAddress, protocol, srcPort, dstPort))];
    }

    /** The endpoint of a flow; its VNI does not count. */
    public String pick(FlowKey flow) {
        return pick(flow.srcAddress(), flow.dstAddress(), flow.protocol(), flow.srcPort(), flow.dstPort());
    }

    /** Index in {@link #endpoints()} of the endpoint with the highest score for a {@link #flowHash}. */
    public int pickIndex(long flowHash) {
        int best = 0;
        long bestScore = score(flowHash, hashes[0]);
        for (int i = 1; i < hashes.length; i++) {
            long score = score(flowHash, hashes[i]);
            if (Long.compareUnsigned(score, bestScore) > 0) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /** The hash of an inner flow, {@code mix64(mix64((src << 32 | dst) + GOLDEN) ^ (proto << 32 | sp << 16 | dp))}. */
    public static long flowHash(int srcAddress, int dstAddress, int protocol, int srcPort, int dstPort) {
        long addresses = ((long) srcAddress << 32) | (dstAddress & 0xFFFF_FFFFL);
        long rest = ((long) (protocol & 0xFF) << 32) | ((long) (srcPort & 0xFFFF) << 16) | (dstPort & 0xFFFF);
        return mix64(mix64(addresses + GOLDEN) ^ rest);
    }

    /** The hash of an endpoint id: {@code mix64} of the FNV-1a 64 hash of its UTF-8 bytes. */
    public static long endpointHash(String endpointId) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : endpointId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return mix64(h);
    }

    /** The weight of an endpoint for a flow, an unsigned 64-bit number: the highest wins. */
    public static long score(long flowHash, long endpointHash) {
        return mix64(flowHash ^ endpointHash);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood, 2014): every input bit flips about half the output bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * MIX_1;
        z = (z ^ (z >>> 27)) * MIX_2;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RendezvousIngress that && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "RendezvousIngress" + endpoints;
    }
}
