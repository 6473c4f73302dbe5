package io.isthmus.vnf.cen.bgp;

import java.util.Arrays;
import java.util.HexFormat;

/** A NOTIFICATION's error code, subcode and data (RFC 4271 §4.5, §6; RFC 4486 Cease subcodes; RFC 6608 FSM). */
public record Notification(int code, int subcode, byte[] data) {

    public static final int MESSAGE_HEADER_ERROR = 1;
    public static final int OPEN_MESSAGE_ERROR = 2;
    public static final int UPDATE_MESSAGE_ERROR = 3;
    public static final int HOLD_TIMER_EXPIRED = 4;
    public static final int FSM_ERROR = 5;
    public static final int CEASE = 6;

    // Message Header Error subcodes
    public static final int CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int BAD_MESSAGE_LENGTH = 2;
    public static final int BAD_MESSAGE_TYPE = 3;
    // OPEN Message Error subcodes
    public static final int UNSUPPORTED_VERSION_NUMBER = 1;
    public static final int BAD_PEER_AS = 2;
    public static final int BAD_BGP_IDENTIFIER = 3;
    public static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    public static final int UNACCEPTABLE_HOLD_TIME = 6;
    // UPDATE Message Error subcodes
    public static final int MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;
    public static final int INVALID_NETWORK_FIELD = 10;
    // FSM Error subcodes (RFC 6608)
    public static final int UNEXPECTED_IN_OPEN_SENT = 1;
    public static final int UNEXPECTED_IN_OPEN_CONFIRM = 2;
    public static final int UNEXPECTED_IN_ESTABLISHED = 3;
    // Cease subcodes (RFC 4486)
    public static final int ADMINISTRATIVE_SHUTDOWN = 2;

    public Notification {
        data = data.clone();
    }

    public Notification(int code, int subcode) {
        this(code, subcode, new byte[0]);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Notification n && n.code == code && n.subcode == subcode
                && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * code + subcode) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String name = switch (code) {
            case MESSAGE_HEADER_ERROR -> "Message Header Error";
            case OPEN_MESSAGE_ERROR -> "OPEN Message Error";
            case UPDATE_MESSAGE_ERROR -> "UPDATE Message Error";
            case HOLD_TIMER_EXPIRED -> "Hold Timer Expired";
            case FSM_ERROR -> "Finite State Machine Error";
            case CEASE -> "Cease";
            default -> "error code " + code;
        };
        return name + " (" + code + "/" + subcode + ")"
                + (data.length == 0 ? "" : " data " + HexFormat.of().formatHex(data));
    }
}
