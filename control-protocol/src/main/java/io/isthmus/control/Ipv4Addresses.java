package io.isthmus.control;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as the data plane holds them: a big-endian {@code int}, never boxed on the hot path. */
public final class Ipv4Addresses {

    private Ipv4Addresses() {
    }

    /** The dotted-quad text of an address, e.g. {@code 203.0.113.10}. */
    public static String format(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /**
     * Parses a dotted-quad literal (no name resolution).
     *
     * @throws IllegalArgumentException if the text is not four decimal octets
     */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    /** The address of an {@link Inet4Address}. */
    public static int of(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        byte[] b = address.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The {@link InetAddress} of an address, without a name lookup. */
    public static InetAddress toInetAddress(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4-byte address refused", e);
        }
    }

    /** A resolved socket address for an address and UDP/TCP port. */
    public static InetSocketAddress socketAddress(int address, int port) {
        return new InetSocketAddress(toInetAddress(address), port);
    }

    /**
     * Parses {@code host:port} where host is an IPv4 literal or a name that resolves to an IPv4 address.
     *
     * @throws IllegalArgumentException if the text is malformed or the host has no IPv4 address
     */
    public static InetSocketAddress parseSocketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got " + text);
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        try {
            for (InetAddress candidate : InetAddress.getAllByName(host)) {
                if (candidate instanceof Inet4Address) {
                    return new InetSocketAddress(candidate, port);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + text, e);
        }
        throw new IllegalArgumentException("no IPv4 address for " + host);
    }
}
