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
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> refusedRestarts = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Consumer<String> restartHook = replica -> {
    };

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
        } else if (method.equals("PUT") && path.contains("/components/")) {
            resize(exchange, path);
        } else if (method.equals("POST") && path.endsWith("/restart")) {
            restart(exchange, path);
        } else if (method.equals("POST") && path.endsWith("/operate")) {
            operate(exchange, path);
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
        awaitGate();
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

    /** The calls that changed an allocation after its creation: "resize fastpath 3 [2]", "restart fastpath 1 RESTART". */
    public List<String> changes() {
        return List.copyOf(changes);
    }

    private void awaitGate() {
        CountDownLatch latch = gate.get();
        if (latch != null) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> componentsOf(String allocationId) {
        return (List<Map<String, Object>>) allocations.get(allocationId).get("components");
    }

    private void resize(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        String id = parts[4];
        String name = parts[6];
        JsonNode body = JSON.readTree(body(exchange));
        awaitGate();
        if (!allocations.containsKey(id)) {
            json(exchange, 404, Map.of("status", 404, "detail", "no allocation"));
            return;
        }
        List<Map<String, Object>> components = new ArrayList<>(componentsOf(id));
        List<Map<String, Object>> mine = components.stream().filter(c -> name.equals(c.get("name"))).toList();
        int count = body.path("count").asInt();
        List<Integer> remove = new ArrayList<>();
        body.path("remove").forEach(r -> remove.add(r.asInt()));
        changes.add("resize " + name + " " + count + " " + remove);
        if (count > mine.size()) {
            int next = mine.stream().mapToInt(c -> (Integer) c.get("index")).max().orElse(-1) + 1;
            for (int i = mine.size(); i < count; i++) {
                Map<String, Object> component = new LinkedHashMap<>(mine.getFirst());
                component.put("index", next++);
                component.put("ports", Map.of("data", 42000 + next));
                component.put("pid", nextPid.getAndIncrement());
                components.add(component);
            }
        } else if (count < mine.size()) {
            List<Integer> gone = remove.isEmpty()
                    ? mine.stream().map(c -> (Integer) c.get("index")).sorted((a, b) -> b - a)
                            .limit(mine.size() - count).toList()
                    : remove;
            components.removeIf(c -> name.equals(c.get("name")) && gone.contains((Integer) c.get("index")));
        }
        Map<String, Object> allocation = new LinkedHashMap<>(allocations.get(id));
        allocation.put("components", components);
        allocations.put(id, allocation);
        json(exchange, 200, allocation);
    }

    /**
     * Runs {@code hook} with {@code "<allocation> <component>-<index> <mode>"} on every restart, before it is
     * answered (the vnfm waits meanwhile).
     */
    public void onRestart(java.util.function.Consumer<String> hook) {
        restartHook = hook == null ? replica -> {
        } : hook;
    }

    /** Restarts of this component are refused (409) until {@link #allowRestarts()}. */
    public void refuseRestartsOf(String component) {
        refusedRestarts.add(component);
    }

    public void allowRestarts() {
        refusedRestarts.clear();
    }

    private void restart(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.split("/");
        String id = parts[4];
        JsonNode body = JSON.readTree(body(exchange));
        if (refusedRestarts.contains(parts[6])) {
            json(exchange, 409, Map.of("title", "Conflict", "status", 409, "detail",
                    "allocation " + id + " is being changed by another request"));
            return;
        }
        restartHook.accept(id + " " + parts[6] + "-" + parts[7] + " " + body.path("mode").asText());
        changes.add("restart " + parts[6] + " " + parts[7] + " " + body.path("mode").asText());
        List<Map<String, Object>> components = new ArrayList<>();
        for (Map<String, Object> c : componentsOf(id)) {
            Map<String, Object> copy = new LinkedHashMap<>(c);
            if (parts[6].equals(c.get("name")) && Integer.parseInt(parts[7]) == (Integer) c.get("index")) {
                copy.put("pid", nextPid.getAndIncrement());
            }
            components.add(copy);
        }
        Map<String, Object> allocation = new LinkedHashMap<>(allocations.get(id));
        allocation.put("components", components);
        allocations.put(id, allocation);
        json(exchange, 200, allocation);
    }

    private void operate(HttpExchange exchange, String path) throws IOException {
        String id = path.split("/")[4];
        JsonNode body = JSON.readTree(body(exchange));
        changes.add("operate " + body.path("state").asText());
        json(exchange, 200, allocations.get(id));
    }

    /** The config secret this fake hands out with allocation {@code id}. */
    public static String configSecretOf(String allocationId) {
        return "secret-of-" + allocationId;
    }
}
