package io.isthmus.vnf.vpn.ike;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * strongSwan's charon (kernel-libipsec) in a network namespace {@code hike-office} joined to this one by a veth pair:
 * 10.213.0.1 here, 10.213.0.2 there, 10.213.1.1 on the namespace's loopback (inside its traffic selector). One
 * charon per namespace, its own strongswan.conf, VICI socket and a private /run (LAB-NOTES).
 */
final class CharonLab implements AutoCloseable {

    static final String NS = "hike-office";
    static final String HERE = "10.213.0.1";
    static final String THERE = "10.213.0.2";
    static final Path DIR = Path.of("/tmp/hike-interop");
    static final String URI = "unix://" + DIR.resolve("charon.vici");

    private static final Path LOCK = Path.of("/tmp/hike-interop.lock");

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Process charon;

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/ipsec/charon"))
                && Files.isExecutable(Path.of("/usr/sbin/swanctl"));
    }

    /**
     * Starts charon; {@code ikeLogLevel} -1 keeps its log quiet (benchmarks). Runs in other worktrees or JVMs wait for
     * each other (a file lock), since the namespace name is fixed. A namespace left by an aborted run is removed when
     * nothing runs in it; otherwise this fails rather than end processes it did not start.
     */
    CharonLab(int ikeLogLevel) throws IOException, InterruptedException {
        lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock[] taken = new FileLock[1];
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> (taken[0] = lockChannel.tryLock()) != null);
        lock = taken[0];
        if (Files.exists(Path.of("/run/netns/" + NS)) && !run("ip netns pids " + NS).isBlank()) {
            lock.release();
            lockChannel.close();
            throw new IllegalStateException("namespace " + NS + " is left over with processes in it: "
                    + run("ip netns pids " + NS) + "; end them and delete it");
        }
        cleanUp();
        Files.createDirectories(DIR.resolve("run"));
        Files.createDirectories(DIR.resolve("swanctl"));
        sh("ip netns add " + NS);
        sh("ip link add hike-rt type veth peer name hike-ns netns " + NS);
        sh("ip addr add " + HERE + "/30 dev hike-rt");
        sh("ip link set hike-rt up");
        sh("ip -n " + NS + " addr add " + THERE + "/30 dev hike-ns");
        sh("ip -n " + NS + " link set hike-ns up");
        sh("ip -n " + NS + " link set lo up");
        sh("ip -n " + NS + " addr add 10.213.1.1/32 dev lo");
        Files.writeString(DIR.resolve("strongswan.conf"), """
                charon {
                  load = kernel-libipsec kernel-netlink socket-default vici openssl gcm random nonce pem x509 \
                revocation constraints pubkey pkcs1 pkcs8 curve25519 hmac sha2 sha1 aes kdf
                  port = 500
                  port_nat_t = 4500
                  retransmit_tries = 3
                  filelog {
                    hike {
                      path = %s
                      time_format = %%T
                      default = %d
                      ike = %d
                      append = no
                      flush_line = yes
                    }
                  }
                  plugins {
                    vici {
                      socket = %s
                    }
                  }
                }
                """.formatted(DIR.resolve("charon.log"), Math.min(1, ikeLogLevel), ikeLogLevel, URI));
        charon = new ProcessBuilder("ip", "netns", "exec", NS, "sh", "-c", "mount --bind " + DIR.resolve("run")
                + " /run && STRONGSWAN_CONF=" + DIR.resolve("strongswan.conf") + " exec /usr/lib/ipsec/charon")
                .redirectErrorStream(true).redirectOutput(DIR.resolve("charon.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(DIR.resolve("charon.vici")));
    }

    /** Loads a swanctl.conf (connections and secrets), replacing what was loaded. */
    String load(String swanctlConf) throws IOException, InterruptedException {
        Files.writeString(DIR.resolve("swanctl/swanctl.conf"), swanctlConf);
        return swanctl("--load-all --clear --file " + DIR.resolve("swanctl/swanctl.conf"));
    }

    /** Runs swanctl against this charon, bounded by {@code timeout}. */
    static String swanctl(String args) throws IOException, InterruptedException {
        return run("timeout 20 swanctl " + args + " --uri " + URI);
    }

    /** charon's log so far. */
    static String log() throws IOException {
        return Files.readString(DIR.resolve("charon.log"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        charon.descendants().forEach(ProcessHandle::destroyForcibly);
        charon.destroyForcibly();
        charon.waitFor(10, TimeUnit.SECONDS);
        cleanUp();
        lock.release();
        lockChannel.close();
    }

    /** Deletes the namespace and the veth (ours: charon, started by us, has been ended). */
    private static void cleanUp() throws IOException, InterruptedException {
        if (Files.exists(Path.of("/run/netns/" + NS))) {
            run("ip netns del " + NS);
        }
        run("ip link del hike-rt");
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    static String run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
