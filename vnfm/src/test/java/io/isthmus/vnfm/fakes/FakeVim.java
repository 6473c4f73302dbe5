package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The vim's allocations API (contracts.md "VIM API") on the local driver: every slowpath's config port is the fake
 * slowpath's. A test can hold allocations (to keep an operation running), or make the next ones fail with 503.
 */
public final class FakeVim extends FakeHttpServer {

    private final int slowpathConfigPort;
    private final Map<String, Map<String, Object>> allocations = new ConcurrentHashMap<>();
    private final List<JsonNode> allocateRequests = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger nextPid = new AtomicInteger(4000);

    public FakeVim(int slowpathConfigPort) {
        this.slowpathConfigPort = slowpathConfigPort;
        server().createContext("/vim/v1/allocations", this::allocations);
        start();
    }

    /** Allocations wait until {@link #release()}. */
    public void hold() {
        gate.set(new CountDownLatch(1));
    }

    public void release() {
        CountDownLatch latch = gate.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** The next {@code times} allocations answer 503. */
    public void failNext(int times) {
        failNext.set(times);
    }

    public List<JsonNode> allocateRequestsFor(String vnfInstanceId) {
        return allocateRequests.stream().filter(r -> vnfInstanceId.equals(r.path("vnfInstanceId").asText()))
                .toList();
    }

    public List<String> deleted() {
        return List.copyOf(deleted);
    }

    public boolean holds(String allocationId) {
        return allocations.containsKey(allocationId);
    }

    private void allocations(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("POST") && path.equals("/vim/v1/allocations")) {
            allocate(exchange);
        } else if (method.equals("DELETE")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            deleted.add(id);
            allocations.remove(id);
            empty(exchange, 204);
        } else if (method.equals("GET")) {
            Map<String, Object> found = allocations.get(path.substring(path.lastIndexOf('/') + 1));
            if (found == null) {
                json(exchange, 404, Map.of("status", 404, "detail", "no allocation"));
            } else {
                json(exchange, 200, found);
            }
        } else {
            empty(exchange, 405);
        }
    }

    private void allocate(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(body(exchange));
        allocateRequests.add(request);
        CountDownLatch latch = gate.get();
        if (latch != null) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            json(exchange, 503, Map.of("status", 503, "detail", "vim busy"));
            return;
        }
        String id = request.path("id").asText();
        Map<String, Object> existing = allocations.get(id);
        if (existing != null) {
            json(exchange, 200, existing);
            return;
        }
        List<Map<String, Object>> components = new ArrayList<>();
        int dataPort = 41000;
        for (JsonNode c : request.path("components")) {
            for (int i = 0; i < c.path("count").asInt(); i++) {
                Map<String, Object> component = new LinkedHashMap<>();
                component.put("name", c.path("name").asText());
                component.put("role", c.path("role").asText());
                component.put("index", i);
                component.put("host", "127.0.0.1");
                component.put("ports", "slowpath".equals(c.path("role").asText())
                        ? Map.of("control", 40500, "config", slowpathConfigPort)
                        : Map.of("data", dataPort++));
                component.put("pid", nextPid.getAndIncrement());
                components.add(component);
            }
        }
        Map<String, Object> allocation = Map.of("id", id, "state", "ACTIVE", "driver", "local", "components",
                components, "configSecret", configSecretOf(id));
        allocations.put(id, allocation);
        json(exchange, 201, allocation);
    }

    /** The config secret this fake hands out with allocation {@code id}. */
    public static String configSecretOf(String allocationId) {
        return "secret-of-" + allocationId;
    }
}
