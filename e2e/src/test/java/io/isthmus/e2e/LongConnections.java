package io.isthmus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.restassured.path.json.JsonPath;

/**
 * Long-lived TCP connections of real programs from a lab namespace, for an operation that must break none: downloads
 * of the lab's 16 MiB file at 1 MiB/s (curl) and one iperf3 stream, each writing into the run directory.
 */
final class LongConnections {

    private final Path runDir;
    private final String prefix;
    private final List<Process> downloads = new ArrayList<>();
    private final Process iperf;
    private final int seconds;

    private LongConnections(Path runDir, String prefix, String namespace, String source, String server, int downloads,
            int seconds) throws IOException {
        this.runDir = runDir;
        this.prefix = prefix;
        this.seconds = seconds;
        for (int i = 0; i < downloads; i++) {
            this.downloads.add(new ProcessBuilder("ip", "netns", "exec", namespace, "curl", "-sS", "--fail", "-m",
                    "90", "--limit-rate", "1M", "-o", runDir.resolve(prefix + "-" + i + ".bin").toString(),
                    "http://" + server + "/16MiB.bin").redirectErrorStream(true)
                    .redirectOutput(runDir.resolve(prefix + "-" + i + ".log").toFile()).start());
        }
        List<String> iperf3 = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "iperf3", "-c", server, "-t",
                String.valueOf(seconds), "-J"));
        if (source != null) {
            iperf3.addAll(List.of("-B", source));
        }
        this.iperf = new ProcessBuilder(iperf3).redirectErrorStream(true).redirectOutput(report().toFile()).start();
        // the downloads and iperf3's control and data connections
        await("connections established").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> Commands.inNamespace(namespace, "ss", "-Htn", "state", "established", "dst", server)
                        .output().lines().count() >= downloads + 2);
    }

    /** Starts {@code downloads} downloads and a stream of {@code seconds} and waits until all are established. */
    static LongConnections start(Path runDir, String prefix, String namespace, String server, int downloads,
            int seconds) throws IOException {
        return new LongConnections(runDir, prefix, namespace, null, server, downloads, seconds);
    }

    /** Starts one iperf3 stream of {@code seconds} from {@code source} and waits until it is established. */
    static LongConnections stream(Path runDir, String prefix, String namespace, String source, String server,
            int seconds) throws IOException {
        return new LongConnections(runDir, prefix, namespace, source, server, 0, seconds);
    }

    private Path report() {
        return runDir.resolve(prefix + "-iperf3.json");
    }

    /**
     * Asserts that every download ended complete, byte for byte the file {@code served}, and that the stream ran to
     * its end without an error; returns iperf3's report.
     */
    JsonPath assertUnbroken(Path served) throws Exception {
        for (int i = 0; i < downloads.size(); i++) {
            assertThat(downloads.get(i).waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(downloads.get(i).exitValue()).as("download %d: %s", i,
                    Files.readString(runDir.resolve(prefix + "-" + i + ".log"))).isZero();
            assertThat(Files.mismatch(runDir.resolve(prefix + "-" + i + ".bin"), served)).isEqualTo(-1);
        }
        assertThat(iperf.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonPath result = JsonPath.from(Files.readString(report()));
        assertThat(result.getString("error")).as(Files.readString(report())).isNull();
        assertThat(iperf.exitValue()).isZero();
        assertThat(result.getDouble("end.sum_received.seconds")).isGreaterThanOrEqualTo(seconds - 0.5);
        return result;
    }
}
