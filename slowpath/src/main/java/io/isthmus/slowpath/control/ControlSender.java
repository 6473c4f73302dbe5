package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Sends control messages to fastpaths: the control socket, or a stand-in in benchmarks and tests. */
public interface ControlSender {

    /**
     * Sends {@code length} bytes of {@code buffer} from {@code offset} to {@code to}; false if it could not. The
     * buffer's position and limit may be used and are restored to {@code [0, capacity)}, so a caller that shares a
     * buffer across threads must not: each sending thread has its own.
     */
    boolean send(ByteBuffer buffer, int offset, int length, InetSocketAddress to);
}
