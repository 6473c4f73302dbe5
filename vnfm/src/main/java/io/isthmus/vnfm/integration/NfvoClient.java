package io.isthmus.vnfm.integration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.isthmus.sol.client.RemoteCalls;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;
import io.isthmus.vnfm.config.VnfmConfig;

/**
 * The nfvo as the vnfm sees it (contracts.md "nfvo ↔ vnfm"): VNF packages and grants. Every failure leaves as a
 * {@link io.isthmus.sol.client.RemoteCallException} (status 0 when the nfvo was not reached).
 */
@ApplicationScoped
public class NfvoClient {

    /** Packages read lately, by id: an on-boarded package's content never changes, and one instantiate reads it twice. */
    private static final int CONTENTS_KEPT = 16;

    private final NfvoApi nfvo;
    private final VnfmConfig config;
    private final Map<String, byte[]> contents = new LinkedHashMap<>(CONTENTS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CONTENTS_KEPT;
        }
    };

    public NfvoClient(@RestClient NfvoApi nfvo, VnfmConfig config) {
        this.nfvo = nfvo;
        this.config = config;
    }

    /** The onboarded package holding this VNFD, if the nfvo has one. */
    public Optional<VnfPackageInfo> findOnboardedPackage(String vnfdId) {
        List<VnfPackageInfo> found = RemoteCalls.call("GET /vnfpkgm/v2/vnf_packages",
                () -> nfvo.packages("(eq,vnfdId," + vnfdId + ")"));
        return found == null
                ? Optional.empty()
                : found.stream().filter(p -> vnfdId.equals(p.vnfdId()) && p.onboarded()).findFirst();
    }

    /**
     * The package's CSAR bytes, fetched once per package id while it is among the last few read: the instantiate
     * request's configuration check and the operation's PACKAGE step read the same package.
     */
    public byte[] packageContent(String vnfPkgId) {
        synchronized (contents) {
            byte[] kept = contents.get(vnfPkgId);
            if (kept != null) {
                return kept.clone();
            }
        }
        byte[] fetched = RemoteCalls.call("GET /vnfpkgm/v2/vnf_packages/" + vnfPkgId + "/package_content",
                () -> nfvo.packageContent(vnfPkgId));
        if (fetched != null) {
            synchronized (contents) {
                contents.put(vnfPkgId, fetched.clone());
            }
        }
        return fetched;
    }

    /** Asks for a grant; a refusal (403) leaves as a RemoteCallException with the nfvo's ProblemDetails. */
    public Grant grant(GrantRequest request) {
        return RemoteCalls.call("POST /grant/v1/grants", () -> nfvo.grant(request));
    }

    /** Where the nfvo serves a grant, for the op occ's link. */
    public String grantHref(String grantId) {
        String url = config.nfvoUrl();
        return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/grant/v1/grants/" + grantId;
    }
}
