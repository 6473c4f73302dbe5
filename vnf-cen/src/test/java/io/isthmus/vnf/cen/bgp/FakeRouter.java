package io.isthmus.vnf.cen.bgp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * A scripted BGP router on a raw socket, for what no real router will send: malformed UPDATEs, silence. Speaks
 * through {@link BgpMessages} for the well-formed parts.
 */
final class FakeRouter implements AutoCloseable {

    static final int AS = 65010;
    static final int ID = Prefix.parseAddress("10.13.0.2");

    private final ServerSocket server;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    FakeRouter() throws IOException {
        this(0);
    }

    FakeRouter(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server.setSoTimeout(15_000);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits for the speaker's connection. */
    FakeRouter accept() throws IOException {
        adopt(server.accept());
        return this;
    }

    /** Connects to a speaker listening passively. */
    FakeRouter connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        adopt(s);
        return this;
    }

    private void adopt(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** OPEN both ways (ours with {@code as} and {@code holdTime}), then KEEPALIVE both ways: Established. */
    BgpMessages.Open handshake(int as, int holdTime) throws Exception {
        byte[] theirOpen = read();
        BgpMessages.Open open = BgpMessages.decodeOpen(theirOpen, 0, theirOpen.length);
        send(BgpMessages.encodeOpen(as, holdTime, ID));
        expectType(BgpMessages.KEEPALIVE);
        send(BgpMessages.encodeKeepalive());
        return open;
    }

    void send(byte[] message) throws IOException {
        out.write(message);
        out.flush();
    }

    byte[] read() throws Exception {
        byte[] header = new byte[BgpMessages.HEADER_LENGTH];
        in.readFully(header);
        int length = BgpMessages.checkHeader(header, 0);
        byte[] message = Arrays.copyOf(header, length);
        in.readFully(message, header.length, length - header.length);
        return message;
    }

    byte[] expectType(int type) throws Exception {
        byte[] m = read();
        if (BgpMessages.type(m, 0) != type) {
            throw new AssertionError("expected message type " + type + ", got " + BgpMessages.type(m, 0)
                    + (BgpMessages.type(m, 0) == BgpMessages.NOTIFICATION
                            ? ": " + BgpMessages.decodeNotification(m, 0, m.length)
                            : ""));
        }
        return m;
    }

    /** Reads until a NOTIFICATION, skipping KEEPALIVEs and UPDATEs. */
    Notification awaitNotification() throws Exception {
        while (true) {
            byte[] m = read();
            if (BgpMessages.type(m, 0) == BgpMessages.NOTIFICATION) {
                return BgpMessages.decodeNotification(m, 0, m.length);
            }
        }
    }

    void dropConnection() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }
}
