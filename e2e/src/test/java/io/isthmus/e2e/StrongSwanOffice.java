package io.isthmus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An office's router running strongSwan in a network namespace: charon with kernel-libipsec (user-space ESP, always in
 * UDP 4500), its own {@code strongswan.conf}, {@code /run} and VICI socket under {@code dir} (charon.log there), one
 * IKEv2 connection {@code vpc} with a pre-shared key and one CHILD_SA {@code vpc}, driven with swanctl.
 */
final class StrongSwanOffice implements AutoCloseable {

    static final Path CHARON = Path.of("/usr/lib/ipsec/charon");
    static final Path SWANCTL = Path.of("/usr/sbin/swanctl");

    private final String namespace;
    private final Path dir;
    private final Process charon;

    private StrongSwanOffice(String namespace, Path dir, Process charon) {
        this.namespace = namespace;
        this.dir = dir;
        this.charon = charon;
    }

    /** Whether charon and swanctl are installed (strongswan-charon, strongswan-swanctl, libcharon-extra-plugins). */
    static boolean installed() {
        return Files.isExecutable(CHARON) && Files.isExecutable(SWANCTL);
    }

    /**
     * Starts charon in {@code namespace} with the connection {@code vpc} from {@code localAddress} to the gateway at
     * {@code remoteAddress} (each its IKE identity), its CHILD_SA between {@code localTs} and {@code remoteTs}
     * (strongSwan's comma-separated traffic selectors), and loads it.
     */
    static StrongSwanOffice start(String namespace, Path dir, String localAddress, String remoteAddress, String psk,
            String localTs, String remoteTs) throws IOException {
        Files.createDirectories(dir);
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("strongswan.conf"), """
                charon {
                  load = random nonce openssl gcm aes sha2 hmac kdf pem pkcs1 x509 revocation constraints pubkey \
                curve25519 kernel-libipsec kernel-netlink socket-default vici
                  install_routes = yes
                  filelog {
                    log {
                      path = %s
                      flush_line = yes
                      default = 1
                      ike = 2
                    }
                  }
                  plugins {
                    vici {
                      socket = unix://%s
                    }
                  }
                }
                """.formatted(dir.resolve("charon.log"), run.resolve("charon.vici")));
        Files.writeString(dir.resolve("swanctl.conf"), """
                connections {
                  vpc {
                    version = 2
                    local_addrs = %1$s
                    remote_addrs = %2$s
                    proposals = aes128gcm16-prfsha256-ecp256
                    local {
                      auth = psk
                      id = %1$s
                    }
                    remote {
                      auth = psk
                      id = %2$s
                    }
                    children {
                      vpc {
                        local_ts = %4$s
                        remote_ts = %5$s
                        esp_proposals = aes128gcm16
                      }
                    }
                  }
                }
                secrets {
                  ike-vpc {
                    id-1 = %1$s
                    id-2 = %2$s
                    secret = "%3$s"
                  }
                }
                """.formatted(localAddress, remoteAddress, psk, localTs, remoteTs));
        Process charon = new ProcessBuilder(Commands.namespace(namespace, "sh", "-c", "mount --bind " + run
                + " /run && STRONGSWAN_CONF=" + dir.resolve("strongswan.conf") + " exec " + CHARON))
                .redirectErrorStream(true).redirectOutput(dir.resolve("charon.out").toFile()).start();
        StrongSwanOffice office = new StrongSwanOffice(namespace, dir, charon);
        await("charon's VICI socket").atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(run.resolve("charon.vici")));
        assertThat(office.swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString()))
                .contains("loaded connection 'vpc'");
        return office;
    }

    /** swanctl with these arguments against this charon (at most 45 s); its output. */
    String swanctl(String... args) {
        List<String> command = new ArrayList<>(List.of("timeout", "45"));
        command.addAll(Commands.namespace(namespace, SWANCTL.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--uri", "unix://" + dir.resolve("run").resolve("charon.vici")));
        return Commands.run(command.toArray(String[]::new)).output();
    }

    /** charon's own log (IKE at level 2). */
    Path log() {
        return dir.resolve("charon.log");
    }

    @Override
    public void close() {
        VpnEndToEndIT.stop(charon);
    }
}
