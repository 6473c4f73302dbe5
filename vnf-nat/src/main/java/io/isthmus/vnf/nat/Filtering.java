package io.isthmus.vnf.nat;

/**
 * Which new remotes may reach an inside endpoint through its binding (RFC 4787 section 5, RFC 5382 section 4.3).
 * Mapping is always endpoint-independent: what changes is only who may answer.
 */
public enum Filtering {

    /** Anyone may send to a bound public port: the most transparent (RFC 4787 REQ-8, first half). */
    ENDPOINT_INDEPENDENT("endpoint-independent"),
    /** Any port of an address the inside endpoint sent to: the stringent recommendation (REQ-8, second half). */
    ADDRESS_DEPENDENT("address-dependent"),
    /** Only the exact remote address and port the inside endpoint sent to. */
    ADDRESS_AND_PORT_DEPENDENT("address-and-port-dependent");

    private final String json;

    Filtering(String json) {
        this.json = json;
    }

    /** Its name in the NAT config. */
    public String json() {
        return json;
    }

    /** The filtering named {@code json} in a config, or null. */
    static Filtering of(String json) {
        for (Filtering filtering : values()) {
            if (filtering.json.equals(json)) {
                return filtering;
            }
        }
        return null;
    }
}
