package io.isthmus.vnf.nat;

import java.nio.ByteBuffer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Miss;

/** What the NAT's policy-level tests share: the contract's config with fields added, misses, reading decisions. */
final class NatTests {

    static final int INSIDE = 100;
    static final int OUTSIDE = 200;
    static final int PUBLIC = Ipv4Addresses.parse("203.0.113.10");
    static final int PUBLIC_2 = Ipv4Addresses.parse("203.0.113.11");
    static final int HOST = Ipv4Addresses.parse("10.0.0.5");
    static final int OTHER_HOST = Ipv4Addresses.parse("10.0.0.6");
    static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");

    private static final ObjectMapper JSON = new ObjectMapper();

    private NatTests() {
    }

    /** The contract's example config with {@code fields} (JSON members, comma-separated) added or overriding. */
    static String config(String fields) {
        return with(NatConfigTest.CONTRACT_EXAMPLE, fields);
    }

    /** The contract's example with {@link #PUBLIC} and {@link #PUBLIC_2} as its public addresses, and {@code fields}. */
    static String twoAddresses(String fields) {
        return with(NatConfigTest.CONTRACT_EXAMPLE.replace("\"publicAddress\":\"203.0.113.10\"",
                "\"publicAddresses\":[\"203.0.113.10\",\"203.0.113.11\"]"), fields);
    }

    private static String with(String config, String fields) {
        return fields.isEmpty() ? config : config.substring(0, config.lastIndexOf('}')) + "," + fields + "}";
    }

    /** A policy configured with the contract's example and {@code fields}. */
    static NatPolicy configured(String fields) {
        return configuredWith(config(fields));
    }

    static NatPolicy configuredWith(String config) {
        NatPolicy policy = new NatPolicy();
        try {
            policy.configure(JSON.readTree(config));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return policy;
    }

    /** A miss of {@code key} whose packet the test does not need. */
    static Miss miss(FlowKey key) {
        return new Miss(1, key, ByteBuffer.allocate(0));
    }

    /** A flow of {@code protocol} from an inside endpoint. */
    static FlowKey outbound(int protocol, int host, int port, int remote, int remotePort) {
        return new FlowKey(INSIDE, protocol, host, remote, port, remotePort);
    }

    /** A flow of {@code protocol} from outside to a public endpoint. */
    static FlowKey inbound(int protocol, int remote, int remotePort, int publicAddress, int publicPort) {
        return new FlowKey(OUTSIDE, protocol, remote, publicAddress, remotePort, publicPort);
    }

    /** The source a decision's first rule translates to. */
    static Action.RewriteSource translated(Decision decision) {
        return (Action.RewriteSource) decision.rules().get(0).actions().get(0);
    }

    static int publicPort(Decision decision) {
        return translated(decision).port();
    }
}
