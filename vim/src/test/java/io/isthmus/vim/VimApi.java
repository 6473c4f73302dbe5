package io.isthmus.vim;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The VIM API as a client calls it, with the service account's token. */
public final class VimApi {

    private VimApi() {
    }

    public static RequestSpecification asService() {
        return given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A name no other test uses, so quotas and allocations of tests never meet. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A NAT as the VNFD sizes it: one slowpath (1 vCPU, 512 MB) and {@code fastpaths} fastpaths of the given size. */
    public static Map<String, Object> nat(String id, String tenant, String driver, String vnfType, int fastpaths,
            int fastpathVcpus) {
        return Map.of("id", id, "tenantId", tenant, "vnfInstanceId", "vnf-" + id, "vnfType", vnfType,
                "driver", driver,
                "components", List.of(
                        Map.of("name", "slowpath", "role", "slowpath", "count", 1, "vcpus", 1, "memoryMb", 512),
                        Map.of("name", "fastpath", "role", "fastpath", "count", fastpaths, "vcpus", fastpathVcpus,
                                "memoryMb", 256)));
    }

    /** The same allocation with the slowpath given {@code memoryMb}. */
    public static Map<String, Object> withSlowpathMemory(Map<String, Object> allocation, int memoryMb) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>(allocation);
        List<Object> components = new java.util.ArrayList<>((List<?>) allocation.get("components"));
        Map<String, Object> slowpath = new java.util.LinkedHashMap<>((Map<String, Object>) components.getFirst());
        slowpath.put("memoryMb", memoryMb);
        components.set(0, slowpath);
        changed.put("components", components);
        return changed;
    }

    public static ValidatableResponse create(Map<String, Object> allocation) {
        return asService().body(allocation).post("/vim/v1/allocations").then();
    }

    /** {vcpusUsed, memoryMbUsed} of one pool. */
    public static List<Number> poolUsage(String poolId) {
        var pool = asService().get("/vim/v1/capacity").then().statusCode(200).extract().jsonPath();
        return List.of(pool.getInt("pools.find { it.id == '" + poolId + "' }.vcpusUsed"),
                pool.getLong("pools.find { it.id == '" + poolId + "' }.memoryMbUsed"));
    }

    /** {vcpusUsed, memoryMbUsed} of one tenant. */
    public static List<Number> quotaUsage(String tenant) {
        var quota = asService().get("/vim/v1/quotas/" + tenant).then().statusCode(200).extract().jsonPath();
        return List.of(quota.getInt("vcpusUsed"), quota.getLong("memoryMbUsed"));
    }
}
