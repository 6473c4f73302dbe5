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
    /** The NAT's next version: the same VDUs, sizes and levels (change_vnfpkg to it works). */
    public static final String NEXT_VNFD_ID = "isthmus-nat-1.1";
    /** A NAT whose fastpaths are twice the size (change_vnfpkg to it is refused: the vim cannot resize replicas). */
    public static final String BIGGER_VNFD_ID = "isthmus-nat-big";
    /** Another product (change_vnfpkg to it is refused). */
    public static final String OTHER_PRODUCT_VNFD_ID = "other-nat-1.0";
    /**
     * A NAT whose configuration schema (test-only) adds secrets, marked {@code writeOnly}: {@code adminKeys[].psk}
     * (required in each item) and {@code adminConsole.token}.
     */
    public static final String SECRETS_VNFD_ID = "isthmus-nat-secrets";
    /** The next version of {@link #SECRETS_VNFD_ID}: the same schema (change_vnfpkg to it works). */
    public static final String SECRETS_NEXT_VNFD_ID = "isthmus-nat-secrets-1.1";
    /** The properties the secrets package's schema adds to the NAT's. */
    static final String SECRET_PROPERTIES = """
            "adminKeys": {"type": "array", "items": {"type": "object", "required": ["name", "psk"],
              "properties": {"name": {"type": "string"}, "psk": {"type": "string", "minLength": 8, "writeOnly": true}}}},
            "adminConsole": {"type": "object", "properties": {"user": {"type": "string"},
              "token": {"type": "string", "writeOnly": true}}},
            """;

    private final byte[] csar = PackagedCsars.load("vnf-nat");
    /** The onboarded packages by vnfdId: id, software version, product, CSAR. */
    private final Map<String, Package> packages = Map.of(VNFD_ID, new Package(PACKAGE_ID, "isthmus-nat", "1.0", csar),
            NEXT_VNFD_ID, new Package("pkg-isthmus-nat-1.1", "isthmus-nat", "1.1",
                    variant(csar,
                            vnfd -> vnfd.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: " + NEXT_VNFD_ID)
                                    .replace("software_version: \"1.0\"", "software_version: \"1.1\""))),
            BIGGER_VNFD_ID, new Package("pkg-isthmus-nat-big", "isthmus-nat", "2.0",
                    variant(csar,
                            vnfd -> vnfd.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: " + BIGGER_VNFD_ID)
                                    .replace("virtual_mem_size: 256 MB", "virtual_mem_size: 512 MB"))),
            OTHER_PRODUCT_VNFD_ID, new Package("pkg-other-nat", "other-nat", "1.0",
                    variant(csar, vnfd -> vnfd.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: "
                            + OTHER_PRODUCT_VNFD_ID).replace("product_name: isthmus-nat", "product_name: other-nat"))),
            SECRETS_VNFD_ID, new Package("pkg-isthmus-nat-secrets", "isthmus-nat-secrets", "1.0",
                    variant(csar, vnfd -> vnfd.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: "
                            + SECRETS_VNFD_ID)
                            .replace("product_name: isthmus-nat", "product_name: isthmus-nat-secrets"),
                            FakeNfvo::withSecrets)),
            SECRETS_NEXT_VNFD_ID, new Package("pkg-isthmus-nat-secrets-1.1", "isthmus-nat-secrets", "1.1",
                    variant(csar, vnfd -> vnfd.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: "
                            + SECRETS_NEXT_VNFD_ID)
                            .replace("product_name: isthmus-nat", "product_name: isthmus-nat-secrets")
                            .replace("software_version: \"1.0\"", "software_version: \"1.1\""),
                            FakeNfvo::withSecrets)));

    private static String withSecrets(String schema) {
        return schema.replaceFirst("\"properties\": \\{", "\"properties\": {"
                + java.util.regex.Matcher.quoteReplacement(SECRET_PROPERTIES));
    }

    private record Package(String id, String product, String version, byte[] csar) {
    }
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
        Package content = packages.values().stream()
                .filter(p -> path.equals("/vnfpkgm/v2/vnf_packages/" + p.id() + "/package_content")).findFirst()
                .orElse(null);
        if (path.equals("/vnfpkgm/v2/vnf_packages")) {
            String query = exchange.getRequestURI().getQuery();
            List<Map<String, Object>> found = packages.entrySet().stream()
                    .filter(p -> query != null && query.contains("vnfdId," + p.getKey() + ")"))
                    .map(p -> packageInfo(p.getKey(), p.getValue())).toList();
            json(exchange, 200, found);
        } else if (content != null) {
            bytes(exchange, "application/zip", content.csar());
        } else {
            json(exchange, 404, Map.of("status", 404, "detail", "no package at " + path));
        }
    }

    private static Map<String, Object> packageInfo(String vnfdId, Package p) {
        return Map.of("id", p.id(), "vnfdId", vnfdId, "vnfProvider", "Isthmus", "vnfProductName", p.product(),
                "vnfSoftwareVersion", p.version(), "vnfdVersion", p.version(), "onboardingState", "ONBOARDED",
                "operationalState", "ENABLED", "usageState", "NOT_IN_USE");
    }

    /**
     * The NAT's CSAR with its VNFD changed by {@code edit}, built again by vnf-catalog's CsarBuilder (the manifest's
     * digests made anew).
     */
    private static byte[] variant(byte[] csar, java.util.function.UnaryOperator<String> edit) {
        return variant(csar, edit, schema -> schema);
    }

    /** {@link #variant(byte[], java.util.function.UnaryOperator)}, its configuration schema changed by {@code schemaEdit}. */
    private static byte[] variant(byte[] csar, java.util.function.UnaryOperator<String> edit,
            java.util.function.UnaryOperator<String> schemaEdit) {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(csar))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String vnfd = "Definitions/isthmus_nat_vnfd.yaml";
        String manifest = "isthmus-nat.mf";
        String head = new String(files.get(manifest), java.nio.charset.StandardCharsets.UTF_8);
        // the manifest as written, before the builder listed the files with their digests
        int sources = head.indexOf("\nSource:");
        files.put(manifest, edit.apply(sources < 0 ? head : head.substring(0, sources)).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        String edited = edit.apply(new String(files.get(vnfd), java.nio.charset.StandardCharsets.UTF_8));
        files.put(vnfd, edited.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String schema = "Definitions/isthmus_nat_config.schema.json";
        files.put(schema, schemaEdit.apply(new String(files.get(schema), java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return io.isthmus.vnf.catalog.CsarBuilder.of(files).build();
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
