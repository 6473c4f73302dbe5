package io.isthmus.vnf.cen.bgp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A BIRD 2 daemon for interop tests: run in the foreground ({@code bird -f}) from its own directory under /tmp
 * (prefix {@code hbgp-}), with its own control socket, on a loopback address; removed on close.
 */
final class BirdLab implements AutoCloseable {

    static final Path BIRD = Path.of("/usr/sbin/bird");
    static final Path BIRDC = Path.of("/usr/sbin/birdc");
    static final String SPEAKER_ADDRESS = "127.13.0.1";
    static final String BIRD_ADDRESS = "127.13.0.2";
    static final int BIRD_AS = 65010;

    private final Path dir;
    private Process process;

    BirdLab(String name) {
        try {
            dir = Files.createTempDirectory("hbgp-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean available() {
        return Files.isExecutable(BIRD) && Files.isExecutable(BIRDC);
    }

    private static int nextPort = 17_900 + (int) (ProcessHandle.current().pid() % 500);

    /**
     * A port nobody listens on, below the ephemeral range (a daemon binds it on all addresses), never the same twice in
     * this JVM.
     */
    static synchronized int freePort() {
        for (; nextPort < 19_000; nextPort++) {
            try (ServerSocket probe = new ServerSocket(nextPort, 1, InetAddress.getByName("0.0.0.0"))) {
                return nextPort++;
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port below 19000");
    }

    /**
     * BIRD's configuration: AS 65010 on {@link #BIRD_ADDRESS}:{@code port}, waiting for our speaker (passive) at
     * {@link #SPEAKER_ADDRESS} in AS {@code speakerAs}, all routes in and out, plus {@code extra} (static protocols).
     */
    static String config(int port, int speakerAs, int holdTime, String extra) {
        return """
                router id 10.13.0.2;
                protocol device {}
                protocol direct { ipv4; interface "lo"; }
                %s
                protocol bgp speaker {
                  local %s port %d as %d;
                  neighbor %s as %s;
                  passive on;
                  multihop;
                  hold time %d;
                  ipv4 { import all; export all; };
                }
                """.formatted(extra, BIRD_ADDRESS, port, BIRD_AS, SPEAKER_ADDRESS, Integer.toUnsignedString(speakerAs),
                holdTime);
    }

    /** BIRD connecting to our speaker's passive listener at {@link #SPEAKER_ADDRESS}:{@code speakerPort}. */
    static String activeConfig(int port, int speakerPort, int speakerAs, String extra) {
        return config(port, speakerAs, 90, extra).replace("neighbor %s as".formatted(SPEAKER_ADDRESS),
                "neighbor %s port %d as".formatted(SPEAKER_ADDRESS, speakerPort))
                .replace("passive on;", "connect delay time 1; connect retry time 1;");
    }

    void start(String config) {
        try {
            Files.writeString(dir.resolve("bird.conf"), config);
            process = new ProcessBuilder(BIRD.toString(), "-f", "-c", dir.resolve("bird.conf").toString(), "-s",
                    control(), "-P", dir.resolve("bird.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("bird.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(30, SECONDS).until(() -> birdc("show status").contains("Daemon is up and running"));
    }

    long pid() {
        return process.pid();
    }

    /** Runs a birdc command and returns its output. */
    String birdc(String... command) {
        List<String> line = new ArrayList<>(List.of(BIRDC.toString(), "-s", control()));
        line.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "birdc failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Replaces the configuration file and has BIRD load it. */
    String reconfigure(String config) {
        try {
            Files.writeString(dir.resolve("bird.conf"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return birdc("configure");
    }

    void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: BIRD shuts its sessions down (Cease) and exits. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String control() {
        return dir.resolve("bird.ctl").toString();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            try {
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover directory under /tmp is harmless
        }
    }
}
