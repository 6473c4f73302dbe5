package io.isthmus.fastpath.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Base of the header flyweights: a re-wrappable view of a header at an offset of a big-endian {@link ByteBuffer}.
 * Fields are read and written in place with absolute accessors, so wrapping and reading allocate nothing and leave
 * the buffer's position and limit alone.
 */
public abstract class HeaderFlyweight {

    /**
     * Checks on wrap (buffer order, header within capacity); read once. Turn off with
     * {@code -Disthmus.fastpath.boundsChecks=false} once the parser is trusted to check lengths.
     */
    public static final boolean SHOULD_BOUNDS_CHECK = !"false"
            .equalsIgnoreCase(System.getProperty("isthmus.fastpath.boundsChecks"));

    protected ByteBuffer buffer;
    protected int offset;

    protected final void wrapAt(ByteBuffer buffer, int offset, int headerLength) {
        if (SHOULD_BOUNDS_CHECK) {
            if (buffer.order() != ByteOrder.BIG_ENDIAN) {
                throw new IllegalArgumentException("packet buffers are big-endian");
            }
            if (offset < 0 || offset + headerLength > buffer.capacity()) {
                throw new IndexOutOfBoundsException(
                        "header [" + offset + ", " + (offset + headerLength) + ") outside " + buffer.capacity());
            }
        }
        this.buffer = buffer;
        this.offset = offset;
    }

    /** The buffer this view is wrapped over. */
    public final ByteBuffer buffer() {
        return buffer;
    }

    /** The offset of the header in the buffer. */
    public final int offset() {
        return offset;
    }

    protected final int u8(int fieldOffset) {
        return buffer.get(offset + fieldOffset) & 0xFF;
    }

    protected final int u16(int fieldOffset) {
        return buffer.getShort(offset + fieldOffset) & 0xFFFF;
    }

    protected final int i32(int fieldOffset) {
        return buffer.getInt(offset + fieldOffset);
    }

    protected final void putU8(int fieldOffset, int value) {
        buffer.put(offset + fieldOffset, (byte) value);
    }

    protected final void putU16(int fieldOffset, int value) {
        buffer.putShort(offset + fieldOffset, (short) value);
    }

    protected final void putI32(int fieldOffset, int value) {
        buffer.putInt(offset + fieldOffset, value);
    }
}
