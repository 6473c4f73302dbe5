package io.isthmus.sol.api;

import java.util.Map;
import java.util.Optional;

/**
 * The SOL APIs this platform serves, by path prefix, with the API version each one speaks (SOL013 clause 9.1). A
 * request to one of them must carry a {@code Version} header; the response carries the served version.
 */
public final class SolApiVersions {

    public static final String HEADER = "Version";
    private static final String API_VERSIONS = "/api_versions";

    /**
     * SOL003 v3.3.1 VNF LCM 2.0.0, granting 1.4.0, package management 2.1.0, VNF indicator 1.3.0; SOL005 NS LCM and
     * NSD 2.x.
     */
    private static final Map<String, String> VERSIONS = Map.of(
            "/vnflcm/v2", "2.0.0",
            "/grant/v1", "1.4.0",
            "/vnfpkgm/v2", "2.1.0",
            "/vnfind/v1", "1.3.0",
            "/nslcm/v2", "2.0.0",
            "/nsd/v2", "2.1.0",
            "/callbacks/v2", "2.0.0");

    private SolApiVersions() {
    }

    /** The version served under this path, or empty when the path is no SOL API (health, metrics, the VIM API). */
    public static Optional<String> versionOf(String path) {
        for (Map.Entry<String, String> e : VERSIONS.entrySet()) {
            String prefix = e.getKey();
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.lastIndexOf('/')) + API_VERSIONS)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Where a missing {@code Version} is tolerated: the API versions resource (read before a client knows which
     * version to send, SOL013) and this platform's notification endpoints (be liberal with what a notifier sends).
     */
    public static boolean versionOptional(String path) {
        return path.endsWith(API_VERSIONS) || path.startsWith("/callbacks/");
    }
}
