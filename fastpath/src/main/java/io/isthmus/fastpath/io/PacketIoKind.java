package io.isthmus.fastpath.io;

import java.util.Locale;

/** Which {@link PacketIo} a fastpath's data port uses; chosen by {@code --io}. */
public enum PacketIoKind {

    /** {@link MmsgPacketIo}: {@code recvmmsg}/{@code sendmmsg} in batches through the FFM API. Linux only. */
    MMSG,
    /** {@link DatagramPacketIo}: a non-blocking JDK {@code DatagramChannel}, one system call per packet. */
    CHANNEL;

    /** {@link #MMSG} where the FFM binding links (64-bit Linux with native access), else {@link #CHANNEL}. */
    public static PacketIoKind preferred() {
        return LinuxSockets.isAvailable() ? MMSG : CHANNEL;
    }

    /** The option's spelling: {@code mmsg} or {@code channel}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code mmsg} or {@code channel}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static PacketIoKind parse(String value) {
        for (PacketIoKind kind : values()) {
            if (kind.optionValue().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--io must be mmsg or channel, got " + value);
    }
}
