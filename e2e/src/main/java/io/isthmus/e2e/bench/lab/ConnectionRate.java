package io.isthmus.e2e.bench.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New TCP connections per second, each a whole exchange: connect, read the server's short answer to its end (the
 * server closes first, so the client's port is free again at once), close. Run the server in one network namespace
 * and the client in another, with the NAT between them:
 *
 * <pre>
 * ConnectionRate server &lt;address&gt; &lt;port&gt;
 * ConnectionRate client &lt;address&gt; &lt;port&gt; &lt;seconds&gt; &lt;threads&gt; &lt;result name&gt;
 * </pre>
 *
 * The client prints {@code RESULT <name> <connections/s> conn/s} (and the failed attempts), as the other harnesses.
 */
public final class ConnectionRate {

    private static final byte[] ANSWER = "ok\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionRate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("server")) {
            serve(new InetSocketAddress(args[1], Integer.parseInt(args[2])));
        } else if (args.length == 6 && args[0].equals("client")) {
            measure(new InetSocketAddress(args[1], Integer.parseInt(args[2])), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), args[5]);
        } else {
            System.err.println("usage: ConnectionRate server <address> <port>"
                    + " | client <address> <port> <seconds> <threads> <result name>");
            System.exit(2);
        }
    }

    /** Answers every connection with a few bytes and closes it, one virtual thread each, until killed. */
    static void serve(InetSocketAddress address) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(address, 4096);
            System.out.println("listening on " + address);
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> answer(socket));
            }
        }
    }

    private static void answer(Socket socket) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(ANSWER);
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    static void measure(InetSocketAddress server, int seconds, int threads, String name) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                byte[] buffer = new byte[64];
                while (System.nanoTime() - end < 0) {
                    try (Socket socket = new Socket()) {
                        socket.connect(server, 3000);
                        socket.setSoTimeout(3000);
                        InputStream in = socket.getInputStream();
                        while (in.read(buffer) >= 0) {
                            // to the server's close
                        }
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("connections %d, failed %d, in %.2f s with %d threads%n", done.get(), failed.get(), elapsed,
                threads);
        System.out.printf("RESULT %s %.0f conn/s%n", name, done.get() / elapsed);
        System.out.printf("RESULT %s.failed %d connections%n", name, failed.get());
    }
}
