package io.isthmus.vnfm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.ServiceTokens;
import io.isthmus.sol.client.SolHttpClient;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;
import io.isthmus.vnfm.config.VnfmConfig;

/** The nfvo as the vnfm sees it (contracts.md "nfvo ↔ vnfm"): VNF packages and grants. */
@ApplicationScoped
public class NfvoClient {

    private static final String PACKAGES = "/vnfpkgm/v2/vnf_packages";

    private final SolHttpClient nfvo;
    private final HttpClient http;
    private final ServiceTokens tokens;
    private final VnfmConfig config;

    public NfvoClient(HttpClient http, ObjectMapper json, ServiceTokens tokens, VnfmConfig config) {
        this.nfvo = new SolHttpClient(http, json, config.nfvoUrl(), tokens);
        this.http = http;
        this.tokens = tokens;
        this.config = config;
    }

    /** The onboarded package holding this VNFD, if the nfvo has one. */
    public Optional<VnfPackageInfo> findOnboardedPackage(String vnfdId) {
        String filter = "(eq,vnfdId," + URLEncoder.encode(vnfdId, StandardCharsets.UTF_8) + ")";
        VnfPackageInfo[] found = nfvo.get(PACKAGES + "?filter=" + filter, VnfPackageInfo[].class).body();
        return found == null
                ? Optional.empty()
                : Arrays.stream(found).filter(p -> vnfdId.equals(p.vnfdId()) && p.onboarded()).findFirst();
    }

    /** The package's CSAR bytes (SolHttpClient reads text only). */
    public byte[] packageContent(String vnfPkgId) {
        String path = PACKAGES + "/" + vnfPkgId + "/package_content";
        String url = trimmed(config.nfvoUrl()) + path;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET()
                .header("Authorization", "Bearer " + tokens.bearer())
                .header("Accept", "application/zip, application/octet-stream")
                .header(SolApiVersions.HEADER, SolApiVersions.versionOf(path).orElseThrow()).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 400) {
                String body = new String(response.body(), StandardCharsets.UTF_8);
                throw new RemoteCallException("GET " + url + " answered " + response.statusCode() + ": " + body,
                        response.statusCode(), body);
            }
            return response.body();
        } catch (IOException e) {
            throw new RemoteCallException("GET " + url + " unreachable: " + e, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("interrupted", 0, null);
        }
    }

    /** Asks for a grant; a refusal (403) leaves as a RemoteCallException with the nfvo's ProblemDetails. */
    public Grant grant(GrantRequest request) {
        return nfvo.post("/grant/v1/grants", request, Grant.class).body();
    }

    /** Where the nfvo serves a grant, for the op occ's link. */
    public String grantHref(String grantId) {
        return trimmed(config.nfvoUrl()) + "/grant/v1/grants/" + grantId;
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
