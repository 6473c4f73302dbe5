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
 * operation as told, or leaving them running until told), the VIM (capacity checks, admitting or refusing as told) and a tenant's notification sink. All
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
        } else if (path.equals("/control/vnfm-calls")) {
            reply(ex, 200, "[" + String.join(",", vnfmCalls.stream().map(c -> "\"" + c + "\"").toList()) + "]");
        } else if (path.equals("/sink")) {
            if (method.equals("POST")) {
                notifications.add(body);
            }
            reply(ex, 204, null);
        } else if (path.equals("/vnflcm/v2/subscriptions")) {
            reply(ex, 201, "{\"id\":\"" + UUID.randomUUID() + "\",\"callbackUri\":\"x\"}");
        } else if (path.equals("/vnflcm/v2/vnf_instances") && method.equals("POST")) {
            reply(ex, 201, vnfInstance(UUID.randomUUID().toString(), "NOT_INSTANTIATED"));
        } else if (vnfsGone && p.length >= 5 && p[3].equals("vnf_instances")) {
            reply(ex, 404, "{\"status\":404,\"detail\":\"no such VNF instance\"}");
        } else if (p.length == 6 && p[3].equals("vnf_lcm_op_occs") && p[5].equals("fail") && method.equals("POST")) {
            boolean failable = "FAILED_TEMP".equals(opStates.get(p[4]));
            if (failable) {
                opStates.put(p[4], "FAILED");
            }
            reply(ex, failable ? 200 : 409, "{\"id\":\"" + p[4] + "\",\"operationState\":\"FAILED\"}");
        } else if (p.length == 6 && p[3].equals("vnf_instances") && method.equals("POST")) {
            if (p[5].equals("instantiate")) {
                instantiateBodies.add(body);
            }
            String op = UUID.randomUUID().toString();
            opStates.put(op, vnfOpOutcome);
            ex.getResponseHeaders().add("Location", "http://fake/vnflcm/v2/vnf_lcm_op_occs/" + op);
            reply(ex, 202, null);
        } else if (p.length == 5 && p[3].equals("vnf_instances") && method.equals("GET")) {
            reply(ex, 200, vnfInstance(p[4], instanceState));
        } else if (p.length == 5 && p[3].equals("vnf_instances") && method.equals("DELETE")) {
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

    private static String vnfInstance(String id, String state) {
        return "{\"id\":\"" + id + "\",\"vnfdId\":\"isthmus-nat-1.0\",\"vnfProvider\":\"Isthmus\","
                + "\"vnfProductName\":\"isthmus-nat\",\"vnfSoftwareVersion\":\"1.0\",\"vnfdVersion\":\"1.0\","
                + "\"instantiationState\":\"" + state + "\"}";
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
