package io.isthmus.e2e.bench.lab;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 requests per second over keep-alive connections: each of {@code connections} threads opens one connection
 * and sends {@code GET path} after {@code GET path}, reading each whole answer (its {@code Content-Length}) before the
 * next, for {@code seconds}; a connection that fails is opened again and counted. Run it in the clients' network
 * namespace:
 *
 * <pre>
 * HttpRate &lt;address&gt; &lt;port&gt; &lt;path&gt; &lt;seconds&gt; &lt;connections&gt; &lt;result name&gt;
 * </pre>
 *
 * It prints {@code RESULT <name> <requests/s> req/s}, and the failures, as the other harnesses.
 */
public final class HttpRate {

    private HttpRate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: HttpRate <address> <port> <path> <seconds> <connections> <result name>");
            System.exit(2);
        }
        measure(new InetSocketAddress(args[0], Integer.parseInt(args[1])), args[2], Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args[5]);
    }

    static void measure(InetSocketAddress server, String path, int seconds, int connections, String name)
            throws InterruptedException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() - end < 0) {
                    try (Socket socket = new Socket()) {
                        socket.connect(server, 3000);
                        socket.setSoTimeout(3000);
                        socket.setTcpNoDelay(true);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream(), 16_384);
                        while (System.nanoTime() - end < 0) {
                            out.write(request);
                            out.flush();
                            readAnswer(in);
                            done.incrementAndGet();
                        }
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
        System.out.printf("requests %d, failed connections %d, in %.2f s over %d connections%n", done.get(),
                failed.get(), elapsed, connections);
        System.out.printf("RESULT %s %.0f req/s%n", name, done.get() / elapsed);
        System.out.printf("RESULT %s.failed %d connections%n", name, failed.get());
    }

    /** Reads one answer: a 200's headers to the empty line, then its Content-Length bytes. */
    private static void readAnswer(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        long length = -1;
        boolean first = true;
        while (true) {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            String header = line.toString();
            if (first && !header.startsWith("HTTP/1.1 200")) {
                throw new IOException("answered " + header);
            }
            first = false;
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length");
        }
        for (long left = length; left > 0;) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
