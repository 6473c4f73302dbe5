package io.isthmus.slowpath.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.service.SlowpathService;
import io.isthmus.slowpath.service.Snapshot;
import io.isthmus.vnf.process.VnfProcess;

/**
 * The slowpath's config endpoint on the JDK HTTP server (docs/contracts.md): {@code GET /health},
 * {@code PUT /config} (204, or 400 with {@code {"error":..}}), {@code GET /config} (404 before the first PUT),
 * {@code GET /stats}, {@code GET /snapshot} and {@code PUT /snapshot} (the VNF's configuration and its policy's state,
 * taken and restored), and {@code DELETE /fastpaths/{id}} (forget a fastpath now: scale in, heal). JSON in and out;
 * errors are {@code {"error":"..."}} (plus {@code problems} for a refused config or snapshot). With a config secret
 * every request to {@code /config}, {@code /snapshot} and {@code /fastpaths} must carry
 * {@code Authorization: Bearer <secret>} (401 otherwise, compared in constant time): only the VNFM, which the VIM gave
 * the secret, reads or changes the VNF's configuration and state. {@code /health} and {@code /stats} stay open to
 * probes and monitoring.
 */
public final class ConfigHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConfigHttpServer.class.getName());
    /** Bodies larger than this are refused: a VNF config is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** A snapshot carries the policy's state: a NAT's bindings and sessions, a few hundred bytes each. */
    static final int MAX_SNAPSHOT_BYTES = 64 << 20;
    static final String SNAPSHOT_PATH = "/snapshot";
    /** On a 204 to {@code PUT /config} or {@code PUT /snapshot}: the route-table version it made. */
    public static final String ROUTE_VERSION_HEADER = "Isthmus-Route-Version";
    /** On the same: whether that version was live in every fastpath that takes route tables. */
    public static final String ROUTES_LIVE_HEADER = "Isthmus-Routes-Live";
    static final String FASTPATHS_PATH = "/fastpaths";

    private final HttpServer server;
    private final ExecutorService executor;
    private final SlowpathService service;
    private final ObjectMapper json;
    private final Optional<byte[]> expectedAuthorization;

    private ConfigHttpServer(HttpServer server, ExecutorService executor, SlowpathService service, ObjectMapper json,
            Optional<String> secret) {
        this.server = server;
        this.executor = executor;
        this.service = service;
        this.json = json;
        this.expectedAuthorization = secret.map(s -> ("Bearer " + s).getBytes(StandardCharsets.UTF_8));
    }

    /** Binds and starts serving, without authentication. */
    public static ConfigHttpServer start(InetSocketAddress address, SlowpathService service, ObjectMapper json)
            throws IOException {
        return start(address, Optional.empty(), service, json);
    }

    /** Binds and starts serving; with a secret, every request to {@code /config} must present it. */
    public static ConfigHttpServer start(InetSocketAddress address, Optional<String> secret, SlowpathService service,
            ObjectMapper json) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        ConfigHttpServer http = new ConfigHttpServer(server, executor, service, json, secret);
        server.createContext(VnfProcess.HEALTH_PATH, exchange -> http.handle(exchange, VnfProcess.HEALTH_PATH));
        server.createContext(VnfProcess.CONFIG_PATH, exchange -> http.handle(exchange, VnfProcess.CONFIG_PATH));
        server.createContext(VnfProcess.STATS_PATH, exchange -> http.handle(exchange, VnfProcess.STATS_PATH));
        server.createContext(SNAPSHOT_PATH, exchange -> http.handle(exchange, SNAPSHOT_PATH));
        server.createContext(FASTPATHS_PATH + "/", exchange -> http.handle(exchange, FASTPATHS_PATH));
        server.createContext("/", exchange -> http.handle(exchange, null));
        server.start();
        return http;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange, String context) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean fastpath = FASTPATHS_PATH.equals(context) && path.startsWith(FASTPATHS_PATH + "/")
                    && path.indexOf('/', FASTPATHS_PATH.length() + 1) < 0;
            if (context == null || !path.equals(context) && !fastpath) {
                error(exchange, 404, "no such resource: " + path);
                return;
            }
            String method = exchange.getRequestMethod();
            boolean guarded = !context.equals(VnfProcess.HEALTH_PATH) && !context.equals(VnfProcess.STATS_PATH);
            if (guarded && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                error(exchange, 401, "this endpoint needs the VNF's config secret");
                return;
            }
            switch (context) {
                case VnfProcess.HEALTH_PATH -> {
                    if (allow(exchange, method, "GET")) {
                        respond(exchange, 200, service.health());
                    }
                }
                case VnfProcess.STATS_PATH -> {
                    if (allow(exchange, method, "GET")) {
                        respond(exchange, 200, service.stats());
                    }
                }
                case SNAPSHOT_PATH -> snapshot(exchange, method);
                case FASTPATHS_PATH -> {
                    if (allow(exchange, method, "DELETE")) {
                        retire(exchange, path.substring(FASTPATHS_PATH.length() + 1));
                    }
                }
                default -> config(exchange, method);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "HTTP " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed", e);
            try {
                error(exchange, 500, "internal error");
            } catch (IOException | RuntimeException ignored) {
                // the response may have started already
            }
        }
    }

    private void config(HttpExchange exchange, String method) throws IOException, InterruptedException {
        if ("GET".equals(method)) {
            var config = service.config();
            if (config.isPresent()) {
                respond(exchange, 200, config.get());
            } else {
                error(exchange, 404, "no config yet");
            }
            return;
        }
        if (!allow(exchange, method, "GET, PUT")) {
            return;
        }
        JsonNode body = readObject(exchange, MAX_BODY_BYTES, "config");
        if (body == null) {
            return;
        }
        SlowpathService.RouteLiveness routes;
        try {
            routes = service.configure(body);
        } catch (InvalidConfigException e) {
            respond(exchange, 400, Map.of("error", "invalid " + service.vnfType() + " config: " + e.getMessage(),
                    "problems", e.problems()));
            return;
        }
        LOG.log(Level.INFO, "{0} config applied", service.vnfType());
        noContent(exchange, routes);
    }

    private void snapshot(HttpExchange exchange, String method) throws IOException, InterruptedException {
        if (!allow(exchange, method, "GET, PUT")) {
            return;
        }
        if ("GET".equals(method)) {
            var snapshot = service.snapshot();
            if (snapshot.isEmpty()) {
                error(exchange, 404, "no config yet");
                return;
            }
            Snapshot taken = snapshot.get();
            ObjectNode body = json.createObjectNode();
            body.put("vnfType", taken.vnfType());
            body.set("config", taken.config());
            body.set("state", taken.state());
            body.put("takenAt", taken.takenAt().toString());
            respond(exchange, 200, body);
            return;
        }
        JsonNode body = readObject(exchange, MAX_SNAPSHOT_BYTES, "snapshot");
        if (body == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        JsonNode vnfType = body.get("vnfType");
        if (vnfType == null || !vnfType.isTextual()) {
            problems.add("vnfType is required: the VNF type the snapshot was taken of");
        }
        JsonNode config = body.get("config");
        if (config == null || !config.isObject()) {
            problems.add("config is required: a JSON object, the configuration the snapshot was taken with");
        }
        JsonNode state = body.get("state");
        if (state == null || !state.isObject()) {
            problems.add("state is required: a JSON object, the policy's state ({} for a VNF type without state)");
        }
        JsonNode takenAt = body.get("takenAt");
        Instant at = null;
        if (takenAt != null) {
            try {
                at = Instant.parse(takenAt.asText());
            } catch (DateTimeParseException e) {
                problems.add("takenAt must be an instant in UTC (2026-01-31T10:00:00Z), got " + takenAt);
            }
        }
        if (!problems.isEmpty()) {
            respond(exchange, 400, Map.of("error", "invalid snapshot: " + String.join("; ", problems),
                    "problems", problems));
            return;
        }
        SlowpathService.RouteLiveness routes;
        try {
            routes = service.restore(new Snapshot(vnfType.asText(), config, state, at));
        } catch (InvalidConfigException e) {
            respond(exchange, 400, Map.of("error", "invalid " + service.vnfType() + " snapshot: " + e.getMessage(),
                    "problems", e.problems()));
            return;
        }
        LOG.log(Level.INFO, "{0} snapshot restored (taken at {1})", service.vnfType(), at);
        noContent(exchange, routes);
    }

    /**
     * 204 for a configuration or snapshot applied, saying which route-table version it made and whether that version
     * was live in every fastpath that takes route tables before the wait ran out.
     */
    private static void noContent(HttpExchange exchange, SlowpathService.RouteLiveness routes) throws IOException {
        exchange.getResponseHeaders().set(ROUTE_VERSION_HEADER, Long.toString(routes.version()));
        exchange.getResponseHeaders().set(ROUTES_LIVE_HEADER, Boolean.toString(routes.live()));
        exchange.sendResponseHeaders(204, -1);
    }

    private void retire(HttpExchange exchange, String id) throws IOException {
        int fastpathId;
        try {
            fastpathId = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            error(exchange, 404, "no fastpath " + id);
            return;
        }
        if (!service.retire(fastpathId)) {
            error(exchange, 404, "no fastpath " + id);
            return;
        }
        LOG.log(Level.INFO, "fastpath {0,number,#} retired", fastpathId);
        exchange.sendResponseHeaders(204, -1);
    }

    /** The request's body as a JSON object, or null once answered with 400 or 413. */
    private JsonNode readObject(HttpExchange exchange, int maxBytes, String what) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                error(exchange, 413, what + " larger than " + maxBytes + " bytes");
                return null;
            }
            body = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            error(exchange, 400, "malformed JSON: " + e.getOriginalMessage());
            return null;
        }
        if (body == null || !body.isObject()) {
            error(exchange, 400, what + " must be a JSON object");
            return null;
        }
        return body;
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization.isEmpty()) {
            return true;
        }
        String presented = exchange.getRequestHeaders().getFirst("Authorization");
        return presented != null
                && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expectedAuthorization.get());
    }

    /** True if {@code method} is in {@code allowed}; otherwise answers 405 with an Allow header. */
    private boolean allow(HttpExchange exchange, String method, String allowed) throws IOException {
        for (String m : allowed.split(", ")) {
            if (m.equals(method)) {
                return true;
            }
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        error(exchange, 405, "method " + method + " not allowed; allowed: " + allowed);
        return false;
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        respond(exchange, status, Map.of("error", message));
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting requests, lets those running finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
