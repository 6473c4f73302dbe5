package io.isthmus.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The packaged platform as separate processes: {@code nfvo}, {@code vnfm} and {@code vim} started from their
 * {@code target/quarkus-app} jars on free ports, each on a fresh database of the PostgreSQL server named by
 * {@code ISTHMUS_DB_URL}, all trusting the Keycloak realm at {@code ISTHMUS_OIDC_URL}. {@code ./nfv test} starts those
 * two; this class starts everything else. Each process logs to a file under {@link #logs} (the VNF components the VIM
 * starts under {@code vnf-logs}); {@link #close()} fails if any of them logged an ERROR or an unreported exception.
 */
public final class Platform implements AutoCloseable {

    public static final String DB_URL = env("ISTHMUS_DB_URL", "jdbc:postgresql://127.0.0.1:54329");
    public static final String DB_USER = env("ISTHMUS_DB_USER", "isthmus");
    public static final String DB_PASSWORD = env("ISTHMUS_DB_PASSWORD", "isthmus");
    public static final String OIDC_URL = env("ISTHMUS_OIDC_URL", "http://127.0.0.1:8180/realms/isthmus");

    /** Picks the services' ports ({@link #freePort}). */
    private static final SecureRandom PORTS = new SecureRandom();
    /** The environment variables of the services' Keycloak client secrets. */
    private static final List<String> CLIENT_SECRETS = List.of("ISTHMUS_NFVO_CLIENT_SECRET",
            "ISTHMUS_VNFM_CLIENT_SECRET", "ISTHMUS_SOL_CLIENT_SECRET");

    public final Path root = Path.of(System.getProperty("isthmus.root", "..")).toAbsolutePath().normalize();
    public final Path logs;
    /** Each service's database is {@code <service>_<databaseSuffix>}: the e2e tests' {@code _e2e}, a benchmark's own. */
    private final String databaseSuffix;
    /** The services' JVM options before {@code -jar}. */
    private final List<String> jvmOptions;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> byService = new LinkedHashMap<>();
    /**
     * The nfvo's and the vnfm's keys for the secrets of VNF configurations ({@code ISTHMUS_<SERVICE>_SECRETS_KEY}), as
     * ./nfv makes them: random, one per service, kept for this platform's life (a restarted service opens what it
     * sealed before; the databases are new with each platform).
     */
    private final Map<String, String> secretsKeys = Map.of("nfvo", randomKey(), "vnfm", randomKey());
    /** Where the nfvo finds the vnfm, when a test puts something between them; null: the vnfm itself. */
    private volatile String vnfmUrlForNfvo;

    /** The nfvo started (or restarted) from now on calls the vnfm at {@code url} (a test's proxy). */
    public Platform nfvoCallsVnfmAt(String url) {
        this.vnfmUrlForNfvo = url;
        return this;
    }

    /** The e2e tests' platform: {@code <service>_e2e} databases, logs in {@code e2e/target/e2e-logs}, small JVMs. */
    public Platform() {
        this.databaseSuffix = "e2e";
        this.logs = root.resolve("e2e/target/e2e-logs");
        this.jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    }

    /**
     * A platform of its own beside the e2e tests' (a benchmark's): databases {@code <service>_<databaseSuffix>}, logs
     * under {@code logs}, the services run with {@code jvmOptions}.
     */
    public Platform(String databaseSuffix, Path logs, List<String> jvmOptions) {
        if (!databaseSuffix.matches("[a-z0-9_]+") || databaseSuffix.equals("e2e")) {
            throw new IllegalArgumentException("a database suffix of [a-z0-9_], not e2e: " + databaseSuffix);
        }
        this.databaseSuffix = databaseSuffix;
        this.logs = logs.toAbsolutePath().normalize();
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The JDBC URL of a service's database. */
    public String databaseUrl(String service) {
        return DB_URL + "/" + service + "_" + databaseSuffix;
    }

    public Platform start() {
        try {
            Files.createDirectories(logs);
            deleteRecursively(vnfLogs());
            for (String service : List.of("vim", "vnfm", "nfvo")) {
                ports.put(service, freePort());
                recreateDatabase(service + "_" + databaseSuffix);
            }
            for (String service : List.of("vim", "vnfm", "nfvo")) {
                Process p = launch(service, false);
                processes.add(p);
                byService.put(service, p);
            }
            for (String service : ports.keySet()) {
                awaitReady(service);
            }
            return this;
        } catch (IOException | SQLException | RuntimeException e) {
            stop();
            throw new IllegalStateException("could not start the platform: " + e, e);
        }
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** Kills a service with SIGKILL, as a crash would: no shutdown hook runs. */
    public void kill(String service) {
        Process p = byService.get(service);
        p.destroyForcibly();
        try {
            p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a killed service again on its port and database, its log appended to the first run's. */
    public void restart(String service) {
        try {
            Process p = launch(service, true);
            processes.add(p);
            byService.put(service, p);
            awaitReady(service);
        } catch (IOException e) {
            throw new IllegalStateException("could not restart " + service + ": " + e, e);
        }
    }

    private Process launch(String service, boolean append) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package (./nfv test does) first");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.datasource.jdbc.url=" + databaseUrl(service));
        if (service.equals("vim")) {
            command.add("-Disthmus.vim.local.log-dir=" + vnfLogs());
            // as ./nfv up does: fastpaths take VXLAN on every address, so the VPC lab's namespaces reach them
            command.add("-Disthmus.vim.local.data-bind=0.0.0.0");
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("ISTHMUS_DB_URL", DB_URL);
        env.put("ISTHMUS_DB_USER", DB_USER);
        env.put("ISTHMUS_DB_PASSWORD", DB_PASSWORD);
        env.put("ISTHMUS_OIDC_URL", OIDC_URL);
        env.put("ISTHMUS_NFVO_URL", url("nfvo"));
        env.put("ISTHMUS_VNFM_URL", service.equals("nfvo") && vnfmUrlForNfvo != null ? vnfmUrlForNfvo : url("vnfm"));
        env.put("ISTHMUS_VIM_URL", url("vim"));
        env.put("ISTHMUS_NFVO_PORT", ports.get("nfvo").toString());
        env.put("ISTHMUS_VNFM_PORT", ports.get("vnfm").toString());
        env.put("ISTHMUS_VIM_PORT", ports.get("vim").toString());
        env.put("ISTHMUS_VIM_RUNTIME", root.resolve("vnf-runtime/target/isthmus-vnf-runtime.jar").toString());
        // as ./nfv up does: the nfvo and the vnfm each get their own Keycloak client secret, the vim none
        CLIENT_SECRETS.forEach(env::remove);
        String secret = "ISTHMUS_" + service.toUpperCase(Locale.ROOT) + "_CLIENT_SECRET";
        if (CLIENT_SECRETS.contains(secret)) {
            env.put(secret, clientSecret(secret));
        }
        env.remove("ISTHMUS_NFVO_SECRETS_KEY");
        env.remove("ISTHMUS_VNFM_SECRETS_KEY");
        if (secretsKeys.containsKey(service)) {
            env.put("ISTHMUS_" + service.toUpperCase(Locale.ROOT) + "_SECRETS_KEY", secretsKeys.get(service));
        }
        pb.directory(logs.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(append
                ? ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile())
                : ProcessBuilder.Redirect.to(logs.resolve(service + ".log").toFile()));
        return pb.start();
    }

    private void awaitReady(String service) {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create(url(service) + "/q/health/ready");
        await(service + " ready (see " + logs.resolve(service + ".log") + ")").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
    }

    private static void recreateDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB_URL + "/postgres", DB_USER, DB_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        }
    }

    /**
     * A free port below the kernel's ephemeral range: a port the kernel handed out (bind to 0) could be handed out
     * again, as the local port of some process's outgoing connection (a database pool starting), before the service
     * meant to listen on it binds it ("Port … seems to be in use").
     */
    private static int freePort() throws IOException {
        int below = 32768;
        // read to the end (Files.readString trusts the size procfs reports and reads one byte)
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            below = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the usual start of the range
        }
        if (below < 2_048) {
            below = 32768;
        }
        int from = Math.min(10_000, below / 2);
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = from + PORTS.nextInt(below - from);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A client secret of the realm: {@code ./nfv test} exports them from its work directory's secrets.env. */
    public static String clientSecret(String variable) {
        String secret = System.getenv(variable);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run the tests with ./nfv test, which exports the"
                    + " client secrets of the Keycloak it runs");
        }
        return secret;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Where the VIM's local driver writes the logs of the VNF components it starts. */
    public Path vnfLogs() {
        return logs.resolve("vnf-logs");
    }

    /**
     * Stops the platform, then fails if a process logged an ERROR or an exception no logger reported: a test passes
     * only if the platform stayed healthy, and shut down cleanly, while it ran.
     */
    @Override
    public void close() {
        stop();
        ServiceLogs.assertClean(logs);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Stops the services as an operator would (SIGTERM), so the VIM stops the VNF processes it started: each to its end
     * before the next, callers before what they call (nfvo, vnfm, vim), so no service sees the one it calls go away in
     * the middle of a call (Vert.x logs a reset connection at ERROR, which the tests' log check would take for a fault).
     */
    private void stop() {
        List<Process> order = new ArrayList<>();
        for (String service : List.of("nfvo", "vnfm", "vim")) {
            Process p = byService.get(service);
            if (p != null) {
                order.add(p);
            }
        }
        for (Process p : processes.reversed()) {
            if (!order.contains(p)) {
                order.add(p);
            }
        }
        for (Process p : order) {
            p.destroy();
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** 32 random bytes, base64: an AES-256 key. */
    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
