package io.isthmus.control;

import java.net.InetSocketAddress;

/**
 * One primitive of an action program, as the slowpath builds it. A fastpath executes the primitives of a rule in
 * order; each one's opcode is its byte on the wire ({@code message.InstallFlyweight}).
 */
public sealed interface Action {

    int REWRITE_SOURCE = 1;
    int REWRITE_DESTINATION = 2;
    int SET_VNI = 3;
    int SET_NEXT_HOP = 4;
    int DECREMENT_TTL = 5;
    int COUNT = 6;
    int DROP = 7;
    int ESP_ENCRYPT = 8;
    int ESP_DECRYPT = 9;
    /** Sent only to a fastpath whose HELLO announced INSTALL_ROUTE: an older one refuses the whole INSTALL. */
    int ROUTE_LOOKUP = 10;
    /**
     * COUNT into a counter group ({@link Count#group()} above 0). Sent only to a fastpath whose HELLO announced
     * COUNT_GROUPS: an older one refuses the whole INSTALL.
     */
    int COUNT_GROUP = 11;

    /** The opcode of this primitive. */
    int opcode();

    /**
     * The primitive of {@code opcode} with its operands as an INSTALL carries them: for rewrites and next hops
     * {@code a} is the address and {@code b} the port, for SET_VNI the VNI, for ESP_ENCRYPT and ESP_DECRYPT the SA
     * index, for COUNT and COUNT_GROUP the counter group; an opcode this version does not know reads as DROP.
     */
    static Action of(int opcode, int a, int b) {
        return switch (opcode) {
            case REWRITE_SOURCE -> new RewriteSource(a, b);
            case REWRITE_DESTINATION -> new RewriteDestination(a, b);
            case SET_NEXT_HOP -> new SetNextHop(a, b);
            case SET_VNI -> new SetVni(a);
            case DECREMENT_TTL -> new DecrementTtl();
            case COUNT, COUNT_GROUP -> new Count(a);
            case ESP_ENCRYPT -> new EspEncrypt(a);
            case ESP_DECRYPT -> new EspDecrypt(a);
            case ROUTE_LOOKUP -> new RouteLookup();
            default -> new Drop();
        };
    }

    /** Rewrites the inner IPv4 source address and L4 source port (ICMP echo request: identifier). */
    record RewriteSource(int address, int port) implements Action {
        @Override
        public int opcode() {
            return REWRITE_SOURCE;
        }

        @Override
        public String toString() {
            return "src=" + Ipv4Addresses.format(address) + ":" + port;
        }
    }

    /** Rewrites the inner IPv4 destination address and L4 destination port (ICMP echo reply: identifier). */
    record RewriteDestination(int address, int port) implements Action {
        @Override
        public int opcode() {
            return REWRITE_DESTINATION;
        }

        @Override
        public String toString() {
            return "dst=" + Ipv4Addresses.format(address) + ":" + port;
        }
    }

    /** Sets the VNI of the outgoing VXLAN header. */
    record SetVni(int vni) implements Action {
        @Override
        public int opcode() {
            return SET_VNI;
        }

        @Override
        public String toString() {
            return "vni=" + vni;
        }
    }

    /** Sends the packet to a VXLAN tunnel endpoint (UDP address and port). */
    record SetNextHop(int address, int port) implements Action {
        public static SetNextHop of(InetSocketAddress endpoint) {
            return new SetNextHop(Ipv4Addresses.of(endpoint.getAddress()), endpoint.getPort());
        }

        @Override
        public int opcode() {
            return SET_NEXT_HOP;
        }

        @Override
        public String toString() {
            return "nextHop=" + Ipv4Addresses.format(address) + ":" + port;
        }
    }

    /**
     * Decrements the inner IPv4 TTL. A packet whose TTL would reach zero is not forwarded: the program is not run at
     * all (whatever comes before this action in it) and the packet is punted as {@code PuntReason.TTL_EXCEEDED}.
     */
    record DecrementTtl() implements Action {
        @Override
        public int opcode() {
            return DECREMENT_TTL;
        }
    }

    /**
     * Counts packets and bytes against the rule and, if {@code group} is above 0, against that counter group too: a
     * fastpath sums each group over every rule that counts into it and reports the sums in STATS_RESPONSE, so a policy
     * reads its groups summed over all fastpaths ({@code GET /stats} {@code counters}). Group 0 is no group (the rule's
     * counters only, opcode COUNT); a group travels as COUNT_GROUP.
     */
    record Count(int group) implements Action {

        /** Groups are {@code 0 <= group < MAX_GROUPS}; a fastpath keeps the counters of them all. */
        public static final int MAX_GROUPS = 2048;

        public Count {
            if (group < 0 || group >= MAX_GROUPS) {
                throw new IllegalArgumentException("counter group out of range 0.." + (MAX_GROUPS - 1) + ": " + group);
            }
        }

        /** Counts against the rule only. */
        public Count() {
            this(0);
        }

        @Override
        public int opcode() {
            return group == 0 ? COUNT : COUNT_GROUP;
        }
    }

    /** Drops the packet. */
    record Drop() implements Action {
        @Override
        public int opcode() {
            return DROP;
        }
    }

    /**
     * Encrypts the inner IPv4 packet with the security association at {@code saIndex} of the fastpath's SA table:
     * ESP in tunnel mode (RFC 4303) with AES-GCM (RFC 4106), the packet replaced by outer IPv4 (the SA's tunnel
     * addresses, protocol 50) + ESP.
     */
    record EspEncrypt(int saIndex) implements Action {
        @Override
        public int opcode() {
            return ESP_ENCRYPT;
        }

        @Override
        public String toString() {
            return "espEncrypt=" + saIndex;
        }
    }

    /**
     * Routes the packet: looks its IPv4 destination up in the fastpath's route table (longest prefix match) and sets
     * the VNI and next hop of the route found; a packet no route covers is dropped. For routed traffic (CEN), whose
     * routes come in INSTALL_ROUTE and ROUTE_BATCH rather than in each rule.
     */
    record RouteLookup() implements Action {
        @Override
        public int opcode() {
            return ROUTE_LOOKUP;
        }

        @Override
        public String toString() {
            return "routeLookup";
        }
    }

    /**
     * Verifies (ICV, anti-replay) and decrypts an ESP tunnel-mode packet with the security association at
     * {@code saIndex}, replacing it by the inner IPv4 packet; a packet that fails is dropped and counted.
     */
    record EspDecrypt(int saIndex) implements Action {
        @Override
        public int opcode() {
            return ESP_DECRYPT;
        }

        @Override
        public String toString() {
            return "espDecrypt=" + saIndex;
        }
    }
}
