package io.isthmus.nfvo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the NFVO's peers in its own tests: the VNFM (SOL003 LCM, answering at once and completing every
 * operation as told, or leaving them running until told; the VNFs' data-plane indicators as told), the VIM (capacity checks, admitting or refusing as told) and a tenant's notification sink. All
 * state is read and changed over HTTP ({@code /control/...}) so tests and the application share nothing but the wire.
 * The real peers meet the NFVO in the e2e module.
 */
public class FakePeers implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;
    private volatile String vnfOpOutcome = "COMPLETED";
    private volatile boolean admit = true;
    private volatile String instanceState = "INSTANTIATED";
    private volatile boolean vnfsGone;
    private final Map<String, String> opStates = new ConcurrentHashMap<>();
    private final List<String> notifications = new CopyOnWriteArrayList<>();
    private final List<String> vnfmCalls = new CopyOnWriteArrayList<>();
    private final List<String> instantiateBodies = new CopyOnWriteArrayList<>();
    /**
     * Idempotency-Key → the VNF instance the first create with it made (SOL013-style idempotent POST); forgotten when
     * the instance is deleted, as the VNFM keeps the key with the instance.
     */
    private final Map<String, String> createdByKey = new ConcurrentHashMap<>();
    /** Every VNF instance this fake VNFM created, as {"id", "key", "nsInstanceId"}. */
    private final List<String> created = new CopyOnWriteArrayList<>();
    /** Each VNF LCM request besides instantiate and terminate: {"call": "POST .../scale", "body": ...}. */
    private final List<String> taskRequests = new CopyOnWriteArrayList<>();
    /** VNF instance → metadata, of the VNFs created on this VNFM; a VNF without is the NFVO's. */
    private final Map<String, String> metadata = new ConcurrentHashMap<>();
    /** VNF instance → aspect → scale level, moved by scale requests; shown in instantiatedVnfInfo.scaleStatus. */
    private final Map<String, Map<String, Integer>> scaleLevels = new ConcurrentHashMap<>();
    /** The number of the next creates that create the instance and then answer 503, as if the answer was lost. */
    private final java.util.concurrent.atomic.AtomicInteger createsToLose = new java.util.concurrent.atomic.AtomicInteger();
    /** How long the fake VNFM takes to answer a create or a VNF operation's POST (a VNFM far away, or busy). */
    private volatile long postLatencyMs;
    /** Kind of VNFM POST (create, instantiate, change_ext_conn, ...) → how many were in flight at once, at most. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> mostInFlight = new ConcurrentHashMap<>();
    /** VNF LCM operation → {"vnfInstanceId", "operation"} of it. */
    private final Map<String, Map<String, String>> opOf = new ConcurrentHashMap<>();
    /** The number of the next VNF requests (scale, heal, PATCH...) that start their operation and then answer 503. */
    private final java.util.concurrent.atomic.AtomicInteger taskAnswersToLose = new java.util.concurrent.atomic.AtomicInteger();
    /** VNF instances whose operations (but instantiate and terminate) end FAILED_TEMP. */
    private final java.util.Set<String> failingVnfs = ConcurrentHashMap.newKeySet();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** VNF instance → its configuration: instantiate's additionalParams, change_ext_conn's merged in. */
    private final Map<String, Map<String, Object>> configs = new ConcurrentHashMap<>();
    /** VNF instance → the endpoints of the ingress it publishes (one fastpath of its own unless set). */
    private final Map<String, List<Map<String, Object>>> ingress = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextPort = new java.util.concurrent.atomic.AtomicInteger(
            41000);
    /**
     * VNF instance → its data-plane indicators ({"packets", "bytes", "drops"}), or {"status": n} to answer n; a VNF
     * without answers none (as a VNF not instantiated).
     */
    private final Map<String, Map<String, Object>> dataplane = new ConcurrentHashMap<>();
    /** VNF instance → how many times its indicators were asked for. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> indicatorReads = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        // the fake is the VNFM and the VIM, so the callback policy refuses its port; as it is the tenants' notification
        // sink too, the test's operator allows it explicitly
        return Map.of("isthmus.nfvo.vnfm-url", url, "isthmus.nfvo.vim-url", url, "isthmus.test.fake-url", url,
                "isthmus.callbacks.allow", "127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (path.startsWith("/vnflcm/")) {
            vnfmCalls.add(
                    method + " " + path + (ex.getRequestHeaders().getFirst("Version") == null ? " NO-VERSION" : ""));
        }
        String[] p = path.split("/");
        if (method.equals("POST") && (path.equals("/vnflcm/v2/vnf_instances")
                || p.length == 6 && p[3].equals("vnf_instances"))) {
            String kind = p.length == 6 ? p[5] : "create";
            int now = inFlight.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
            mostInFlight.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicInteger())
                    .accumulateAndGet(now, Math::max);
            try {
                if (postLatencyMs > 0) {
                    Thread.sleep(postLatencyMs);
                }
                handleVnfm(ex, method, path, p, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.get(kind).decrementAndGet();
            }
            return;
        }
        handleVnfm(ex, method, path, p, body);
    }

    private void handleVnfm(HttpExchange ex, String method, String path, String[] p, String body) throws IOException {
        if (path.equals("/control/vnf-op-outcome")) {
            vnfOpOutcome = body.trim();
            reply(ex, 204, null);
        } else if (path.equals("/control/complete-vnf-ops")) {
            opStates.replaceAll((op, state) -> body.trim());
            reply(ex, 204, null);
        } else if (path.equals("/control/vnf-instance-state")) {
            instanceState = body.trim();
            reply(ex, 204, null);
        } else if (path.equals("/control/vnfs-gone")) {
            vnfsGone = Boolean.parseBoolean(body.trim());
            reply(ex, 204, null);
        } else if (path.equals("/control/admit")) {
            admit = Boolean.parseBoolean(body.trim());
            reply(ex, 204, null);
        } else if (path.equals("/control/notifications")) {
            reply(ex, 200, "[" + String.join(",", notifications) + "]");
        } else if (path.equals("/control/instantiate-bodies")) {
            reply(ex, 200, "[" + String.join(",", instantiateBodies) + "]");
        } else if (path.equals("/control/vnfm-post-latency")) {
            postLatencyMs = Long.parseLong(body.trim());
            mostInFlight.clear();
            reply(ex, 204, null);
        } else if (path.equals("/control/most-vnfm-posts-in-flight")) {
            reply(ex, 200, JSON.writeValueAsString(mostInFlight));
        } else if (path.equals("/control/vnfm-calls")) {
            reply(ex, 200, "[" + String.join(",", vnfmCalls.stream().map(c -> "\"" + c + "\"").toList()) + "]");
        } else if (path.equals("/sink")) {
            if (method.equals("POST")) {
                notifications.add(body);
            }
            reply(ex, 204, null);
        } else if (path.equals("/vnflcm/v2/subscriptions")) {
            reply(ex, 201, "{\"id\":\"" + UUID.randomUUID() + "\",\"callbackUri\":\"x\"}");
        } else if (path.equals("/control/lose-next-creates")) {
            createsToLose.set(Integer.parseInt(body.trim()));
            reply(ex, 204, null);
        } else if (path.equals("/control/lose-next-task-answers")) {
            taskAnswersToLose.set(Integer.parseInt(body.trim()));
            reply(ex, 204, null);
        } else if (path.equals("/control/vnf-ops")) {
            List<String> all = new java.util.ArrayList<>();
            for (Map.Entry<String, Map<String, String>> e : opOf.entrySet()) {
                all.add(JSON.writeValueAsString(Map.of("id", e.getKey(), "vnfInstanceId",
                        e.getValue().get("vnfInstanceId"), "operation", e.getValue().get("operation"),
                        "operationState", String.valueOf(opStates.get(e.getKey())))));
            }
            reply(ex, 200, "[" + String.join(",", all) + "]");
        } else if (path.equals("/vnflcm/v2/vnf_lcm_op_occs") && method.equals("GET")) {
            // only the filter the NFVO sends: (eq,vnfInstanceId,<id>)
            String query = java.net.URLDecoder.decode(String.valueOf(ex.getRequestURI().getRawQuery()),
                    StandardCharsets.UTF_8);
            List<String> matching = new java.util.ArrayList<>();
            opOf.forEach((op, info) -> {
                if (query.contains("(eq,vnfInstanceId," + info.get("vnfInstanceId") + ")")) {
                    matching.add("{\"id\":\"" + op + "\",\"vnfInstanceId\":\"" + info.get("vnfInstanceId")
                            + "\",\"operation\":\"" + info.get("operation") + "\",\"operationState\":\""
                            + opStates.get(op) + "\"}");
                }
            });
            reply(ex, 200, "[" + String.join(",", matching) + "]");
        } else if (path.equals("/control/failing-vnf")) {
            failingVnfs.add(body.trim());
            reply(ex, 204, null);
        } else if (path.equals("/control/ingress") && method.equals("POST")) {
            // {"vnfInstanceId": ..., "endpoints": [{"vnfcId", "address"}]}: the VNF's fastpaths changed (scale, heal)
            Map<?, ?> change = JSON.readValue(body, Map.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) change.get("endpoints");
            ingress.put((String) change.get("vnfInstanceId"), endpoints);
            reply(ex, 204, null);
        } else if (path.equals("/control/dataplane") && method.equals("POST")) {
            // {"vnfInstanceId": ..., "packets": n, "bytes": n, "drops": n} or {"vnfInstanceId": ..., "status": 503}
            Map<?, ?> change = JSON.readValue(body, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> values = new java.util.LinkedHashMap<>((Map<String, Object>) change);
            dataplane.put((String) values.remove("vnfInstanceId"), values);
            reply(ex, 204, null);
        } else if (p.length == 4 && path.startsWith("/control/indicator-reads/")) {
            reply(ex, 200, String
                    .valueOf(indicatorReads.getOrDefault(p[3], new java.util.concurrent.atomic.AtomicInteger()).get()));
        } else if (p.length == 5 && path.startsWith("/vnfind/v1/indicators/") && method.equals("GET")) {
            indicatorReads.computeIfAbsent(p[4], k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
            indicators(ex, p[4]);
        } else if (path.equals("/control/created-vnfs")) {
            reply(ex, 200, "[" + String.join(",", created) + "]");
        } else if (path.equals("/control/task-requests")) {
            reply(ex, 200, "[" + String.join(",", taskRequests) + "]");
        } else if (path.equals("/control/tenant-vnf")) {
            // a VNF a tenant created on the VNFM itself, instantiated, of no NS
            String id = UUID.randomUUID().toString();
            metadata.put(id, "{\"tenant\":\"" + body.trim() + "\"}");
            reply(ex, 200, id);
        } else if (path.equals("/vnflcm/v2/vnf_instances") && method.equals("POST")) {
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            String known = key == null ? null : createdByKey.get(key);
            if (known != null) {
                reply(ex, 201, vnfInstance(known, "NOT_INSTANTIATED"));
                return;
            }
            String id = UUID.randomUUID().toString();
            if (key != null) {
                createdByKey.put(key, id);
            }
            Object ns = ((Map<?, ?>) JSON.readValue(body, Map.class).getOrDefault("metadata", Map.of()))
                    .get("nsInstanceId");
            created.add(JSON.writeValueAsString(Map.of("id", id, "key", String.valueOf(key), "nsInstanceId",
                    String.valueOf(ns))));
            if (createsToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, "{\"status\":503,\"detail\":\"answer lost\"}");
                return;
            }
            reply(ex, 201, vnfInstance(id, "NOT_INSTANTIATED"));
        } else if (vnfsGone && p.length >= 5 && p[3].equals("vnf_instances")) {
            reply(ex, 404, "{\"status\":404,\"detail\":\"no such VNF instance\"}");
        } else if (p.length == 6 && p[3].equals("vnf_lcm_op_occs") && p[5].equals("fail") && method.equals("POST")) {
            boolean failable = "FAILED_TEMP".equals(opStates.get(p[4]));
            if (failable) {
                opStates.put(p[4], "FAILED");
            }
            reply(ex, failable ? 200 : 409, "{\"id\":\"" + p[4] + "\",\"operationState\":\"FAILED\"}");
        } else if (p.length == 6 && p[3].equals("vnf_lcm_op_occs") && method.equals("POST")
                && (p[5].equals("retry") || p[5].equals("cancel"))) {
            String state = opStates.get(p[4]);
            boolean allowed = p[5].equals("retry")
                    ? "FAILED_TEMP".equals(state)
                    : "PROCESSING".equals(state) || "STARTING".equals(state);
            if (allowed) {
                opStates.put(p[4], p[5].equals("retry") ? vnfOpOutcome : "FAILED_TEMP");
            }
            reply(ex, state == null ? 404 : allowed ? 202 : 409, allowed ? null : "{\"status\":409}");
        } else if (p.length == 5 && p[3].equals("vnf_instances") && method.equals("PATCH")) {
            if (busy(p[4])) {
                reply(ex, 409, "{\"status\":409,\"detail\":\"an operation is in progress\"}");
                return;
            }
            taskRequests.add(JSON.writeValueAsString(Map.of("call", method + " " + path, "contentType",
                    String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")), "body", JSON.readTree(body))));
            Object patched = JSON.readValue(body, Map.class).get("metadata");
            if (patched instanceof Map<?, ?> m && metadata.containsKey(p[4])) {
                Map<Object, Object> merged = new java.util.LinkedHashMap<>(
                        JSON.readValue(metadata.get(p[4]), Map.class));
                merged.putAll(m);
                metadata.put(p[4], JSON.writeValueAsString(merged));
            }
            String op = UUID.randomUUID().toString();
            opStates.put(op, vnfOpOutcome);
            opOf.put(op, Map.of("vnfInstanceId", p[4], "operation", "MODIFY_INFO"));
            if (taskAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, "{\"status\":503,\"detail\":\"answer lost\"}");
                return;
            }
            ex.getResponseHeaders().add("Location", "http://fake/vnflcm/v2/vnf_lcm_op_occs/" + op);
            reply(ex, 202, null);
        } else if (p.length == 6 && p[3].equals("vnf_instances") && method.equals("POST")) {
            boolean task = !p[5].equals("instantiate") && !p[5].equals("terminate");
            if (task && busy(p[4])) {
                reply(ex, 409, "{\"status\":409,\"detail\":\"an operation is in progress\"}");
                return;
            }
            if (p[5].equals("instantiate")) {
                instantiateBodies.add(body);
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) JSON.readValue(body, Map.class)
                        .getOrDefault("additionalParams", Map.of());
                configs.put(p[4], new ConcurrentHashMap<>(params));
            } else if (task) {
                taskRequests.add(JSON.writeValueAsString(Map.of("call", method + " " + path, "body",
                        JSON.readTree(body))));
            }
            if (p[5].equals("change_ext_conn") && !vnfOpOutcome.equals("FAILED_TEMP")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) JSON.readValue(body, Map.class)
                        .get("additionalParams");
                configs.computeIfAbsent(p[4], k -> new ConcurrentHashMap<>()).putAll(params);
            }
            if (p[5].equals("scale") && !vnfOpOutcome.equals("FAILED_TEMP")) {
                Map<?, ?> scale = JSON.readValue(body, Map.class);
                int steps = ((Number) scale.get("numberOfSteps")).intValue();
                scaleLevels.computeIfAbsent(p[4], k -> new ConcurrentHashMap<>()).merge(
                        (String) scale.get("aspectId"), "SCALE_OUT".equals(scale.get("type")) ? steps : -steps,
                        Integer::sum);
            }
            String op = UUID.randomUUID().toString();
            boolean failing = failingVnfs.contains(p[4]) && !p[5].equals("instantiate") && !p[5].equals("terminate");
            opStates.put(op, failing ? "FAILED_TEMP" : vnfOpOutcome);
            opOf.put(op, Map.of("vnfInstanceId", p[4], "operation", p[5].toUpperCase(java.util.Locale.ROOT)));
            if (task && taskAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, "{\"status\":503,\"detail\":\"answer lost\"}");
                return;
            }
            ex.getResponseHeaders().add("Location", "http://fake/vnflcm/v2/vnf_lcm_op_occs/" + op);
            reply(ex, 202, null);
        } else if (p.length == 5 && p[3].equals("vnf_instances") && method.equals("GET")) {
            reply(ex, 200, vnfInstance(p[4], instanceState));
        } else if (p.length == 5 && p[3].equals("vnf_instances") && method.equals("DELETE")) {
            createdByKey.values().removeIf(p[4]::equals);
            reply(ex, 204, null);
        } else if (p.length == 5 && p[3].equals("vnf_lcm_op_occs")) {
            String state = opStates.get(p[4]);
            reply(ex, state == null ? 404 : 200, "{\"id\":\"" + p[4] + "\",\"operationState\":\"" + state + "\"}");
        } else if (path.equals("/vim/v1/capacity-checks")) {
            reply(ex, 200, admit
                    ? "{\"admitted\":true,\"zoneId\":\"local-zone\",\"vimId\":\"local\"}"
                    : "{\"admitted\":false,\"reason\":\"tenant quota exceeded: vcpus\"}");
        } else {
            reply(ex, 404, "{\"status\":404}");
        }
    }

    /**
     * SOL003 VNF indicators of an instance, as the VNFM answers them (Version 1.3.0, else 400): its data plane's as set
     * with {@code /control/dataplane}, whatever the filter asks (the NFVO asks for those only).
     */
    private void indicators(HttpExchange ex, String vnfInstanceId) throws IOException {
        if (!"1.3.0".equals(ex.getRequestHeaders().getFirst("Version"))) {
            reply(ex, 400, "{\"status\":400,\"detail\":\"Version 1.3.0 is required\"}");
            return;
        }
        Map<String, Object> values = dataplane.getOrDefault(vnfInstanceId, Map.of());
        if (values.get("status") instanceof Number status) {
            reply(ex, status.intValue(), "{\"status\":" + status + ",\"detail\":\"the slowpath did not answer\"}");
            return;
        }
        List<Map<String, Object>> indicators = new java.util.ArrayList<>();
        values.forEach((name, value) -> indicators.add(Map.of("id", "dataplane." + name, "name", "dataplane." + name,
                "value", value, "vnfInstanceId", vnfInstanceId)));
        reply(ex, 200, write(indicators));
    }

    /** Whether an operation of the VNF is open (a VNFM takes one at a time: 409 to another). */
    private boolean busy(String vnfInstanceId) {
        return opOf.entrySet().stream().anyMatch(e -> e.getValue().get("vnfInstanceId").equals(vnfInstanceId)
                && !java.util.Set.of("COMPLETED", "FAILED", "ROLLED_BACK").contains(opStates.get(e.getKey())));
    }

    private String vnfInstance(String id, String state) {
        String scaleStatus = scaleLevels.getOrDefault(id, Map.of()).entrySet().stream()
                .map(e -> "{\"aspectId\":\"" + e.getKey() + "\",\"scaleLevel\":" + e.getValue() + "}")
                .collect(java.util.stream.Collectors.joining(","));
        return "{\"id\":\"" + id + "\",\"vnfdId\":\"isthmus-nat-1.0\",\"vnfProvider\":\"Isthmus\","
                + "\"vnfProductName\":\"isthmus-nat\",\"vnfSoftwareVersion\":\"1.0\",\"vnfdVersion\":\"1.0\","
                + "\"instantiationState\":\"" + (metadata.containsKey(id) ? "INSTANTIATED" : state) + "\""
                + (metadata.containsKey(id) ? ",\"metadata\":" + metadata.get(id) : "")
                + (configs.containsKey(id) ? ",\"vnfConfigurableProperties\":" + write(nextHops(configs.get(id))) : "")
                + ("INSTANTIATED".equals(state) || metadata.containsKey(id)
                        ? ",\"instantiatedVnfInfo\":{\"flavourId\":\"default\",\"vnfState\":\"STARTED\""
                                + (scaleStatus.isEmpty() ? "" : ",\"scaleStatus\":[" + scaleStatus + "]")
                                + ",\"extCpInfo\":" + extCpInfo(id) + "}"
                        : "")
                + "}";
    }

    /** The next hops of a configuration: what this fake shows of it (a VNFM shows no secret). */
    private static Map<String, Object> nextHops(Map<String, Object> config) {
        Map<String, Object> hops = new java.util.TreeMap<>();
        config.forEach((key, value) -> {
            if (key.endsWith("NextHop")) {
                hops.put(key, value);
            }
        });
        return hops;
    }

    /** The NAT's two connection points, each with the ingress the VNF publishes (contracts.md "Ingress"). */
    private String extCpInfo(String id) {
        List<Map<String, Object>> endpoints = ingress.computeIfAbsent(id, k -> List.of(
                Map.of("vnfcId", "fastpath-0", "address", "127.0.0.1:" + nextPort.getAndIncrement())));
        List<Map<String, Object>> cps = new java.util.ArrayList<>();
        for (String cp : List.of("inside", "outside")) {
            cps.add(Map.of("id", cp, "cpdId", cp, "cpConfigId", cp, "metadata",
                    Map.of("ingress", Map.of("hash", "rendezvous-v1", "endpoints", endpoints))));
        }
        return write(cps);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
