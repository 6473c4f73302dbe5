package io.isthmus.e2e.bench.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the lab benchmarks run: a VNF of their own (a slowpath and fastpaths of the runtime jar, as the VIM would start
 * them, the fastpaths on every address), other processes with their logs in the results directory, and commands to
 * their end. Closing it stops every process it started.
 */
final class LabProcesses implements AutoCloseable {

    final int controlPort = freeUdpPort();
    final int configPort = freeTcpPort();
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    LabProcesses(Path dir) {
        this.dir = dir;
    }

    /**
     * A slowpath of {@code vnfType} and a fastpath on each of {@code dataPorts}, up and registered, then configured
     * ({@code PUT /config} with {@code config}).
     */
    void startVnf(String java, String runtimeJar, String vnfType, List<Integer> dataPorts, String config)
            throws Exception {
        spawn("slowpath", java, "-Xmx512m", "-cp", runtimeJar, "io.isthmus.slowpath.SlowpathMain", "--vnf-type",
                vnfType, "--instance-id", "bench-lab", "--control-port", Integer.toString(controlPort),
                "--config-port", Integer.toString(configPort), "--bind", "127.0.0.1");
        for (int i = 0; i < dataPorts.size(); i++) {
            spawn("fastpath-" + i, java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", runtimeJar,
                    "io.isthmus.fastpath.FastpathMain", "--id", Integer.toString(i), "--data-port",
                    Integer.toString(dataPorts.get(i)), "--slowpath", "127.0.0.1:" + controlPort, "--bind",
                    "0.0.0.0");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (http("GET", "/health", null).body().contains("\"fastpaths\":" + dataPorts.size())) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the VNF's processes did not come up: see " + dir);
            }
            Thread.sleep(200);
        }
        HttpResponse<String> put = http("PUT", "/config", config);
        if (put.statusCode() != 204) {
            throw new IllegalStateException("PUT /config answered " + put.statusCode() + ": " + put.body());
        }
    }

    /** A process, its output in {@code dir/<name>.log}; stopped when this closes. */
    Process spawn(String name, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    /** Waits (30 s at most) until the log a spawned process writes has a line with {@code text}. */
    void awaitLine(String name, String text) throws Exception {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(log) || !Files.readString(log).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + text + "' in " + log);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The slowpath's HTTP endpoint. */
    HttpResponse<String> http(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + configPort + path))
                .timeout(Duration.ofSeconds(10));
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A lab benchmark's {@code --name value} arguments, each of {@code required} there. */
    static Map<String, String> arguments(String[] argv, String... required) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        for (String name : required) {
            if (!args.containsKey(name)) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
        }
        return args;
    }

    /** Runs a command to its end (at most a minute); its output, or an exception with it if it failed. */
    static String command(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static int freeUdpPort() {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int freeTcpPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
