package io.isthmus.vnfm.fakes;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.isthmus.vnf.catalog.PackagedCsars;

/**
 * The nfvo's side of contracts.md "nfvo ↔ vnfm": the package list (one onboarded NAT package), its CSAR (the real one,
 * vnf-nat's package), and grants, refused with 403 for the VNF instances a test names.
 */
public final class FakeNfvo extends FakeHttpServer {

    public static final String VNFD_ID = "isthmus-nat-1.0";
    public static final String PACKAGE_ID = "pkg-isthmus-nat";

    private final byte[] csar = PackagedCsars.load("vnf-nat");
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<Received> grantRequests = new CopyOnWriteArrayList<>();
    private final List<Received> packageReads = new CopyOnWriteArrayList<>();

    /** A request as the fake saw it: its headers of interest and its JSON body. */
    public record Received(String authorization, String version, JsonNode body) {
    }

    public FakeNfvo() {
        server().createContext("/vnfpkgm/v2/vnf_packages", this::packages);
        server().createContext("/grant/v1/grants", this::grants);
        start();
    }

    /** Grants for this VNF instance are refused (403) until {@link #grantAgain}. */
    public void refuseGrantsFor(String vnfInstanceId) {
        refused.add(vnfInstanceId);
    }

    public void grantAgain(String vnfInstanceId) {
        refused.remove(vnfInstanceId);
    }

    public List<Received> grantRequestsFor(String vnfInstanceId) {
        return grantRequests.stream().filter(r -> vnfInstanceId.equals(r.body().path("vnfInstanceId").asText()))
                .toList();
    }

    public List<Received> packageReads() {
        return List.copyOf(packageReads);
    }

    private void packages(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        packageReads.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Version"), null));
        if (path.equals("/vnfpkgm/v2/vnf_packages")) {
            String query = exchange.getRequestURI().getQuery();
            boolean nat = query != null && query.contains("vnfdId," + VNFD_ID + ")");
            json(exchange, 200, nat ? List.of(packageInfo()) : List.of());
        } else if (path.equals("/vnfpkgm/v2/vnf_packages/" + PACKAGE_ID + "/package_content")) {
            bytes(exchange, "application/zip", csar);
        } else {
            json(exchange, 404, Map.of("status", 404, "detail", "no package at " + path));
        }
    }

    private static Map<String, Object> packageInfo() {
        return Map.of("id", PACKAGE_ID, "vnfdId", VNFD_ID, "vnfProvider", "Isthmus", "vnfProductName", "isthmus-nat",
                "vnfSoftwareVersion", "1.0", "vnfdVersion", "1.0", "onboardingState", "ONBOARDED",
                "operationalState", "ENABLED", "usageState", "NOT_IN_USE");
    }

    private void grants(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(body(exchange));
        grantRequests.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Version"), request));
        String vnfInstanceId = request.path("vnfInstanceId").asText();
        if (refused.contains(vnfInstanceId)) {
            json(exchange, 403, Map.of("title", "Forbidden", "status", 403, "detail",
                    "quota of tenant acme exceeded: 3 vCPUs asked, 0 left"));
            return;
        }
        String id = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("Location", url() + "/grant/v1/grants/" + id);
        json(exchange, 201, Map.of("id", id, "vnfInstanceId", vnfInstanceId, "vnfLcmOpOccId",
                request.path("vnfLcmOpOccId").asText(), "_links",
                Map.of("self", Map.of("href", url() + "/grant/v1/grants/" + id))));
    }
}
