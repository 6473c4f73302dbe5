package io.isthmus.vnf.cen.bgp;

import java.util.EnumSet;
import java.util.Set;

/** The RFC 4271 §8 session states, and the moves between them that {@link BgpPeer} makes. */
public enum BgpState {
    IDLE("Idle"), CONNECT("Connect"), ACTIVE("Active"), OPEN_SENT("OpenSent"), OPEN_CONFIRM("OpenConfirm"), ESTABLISHED(
            "Established");

    private final String rfcName;

    BgpState(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The state's name as RFC 4271 spells it: {@code "OpenSent"}. */
    public String rfcName() {
        return rfcName;
    }

    /**
     * The transition table. Any state may fall back to Idle (error, close, hold timer); Idle goes to Connect (active open) or
     * straight to Active (passive only); Connect goes to Active when the
     * active open fails and we wait for the peer (passive listen) or to OpenSent with a connection; Active goes to
     * OpenSent with an accepted connection or back to Connect when the ConnectRetry timer fires.
     */
    public boolean canMoveTo(BgpState next) {
        return successors().contains(next);
    }

    private Set<BgpState> successors() {
        return switch (this) {
            case IDLE -> EnumSet.of(IDLE, CONNECT, ACTIVE);
            case CONNECT -> EnumSet.of(IDLE, ACTIVE, OPEN_SENT);
            case ACTIVE -> EnumSet.of(IDLE, CONNECT, OPEN_SENT);
            case OPEN_SENT -> EnumSet.of(IDLE, OPEN_CONFIRM);
            case OPEN_CONFIRM -> EnumSet.of(IDLE, ESTABLISHED);
            case ESTABLISHED -> EnumSet.of(IDLE);
        };
    }
}
