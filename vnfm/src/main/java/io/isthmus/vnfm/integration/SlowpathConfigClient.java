package io.isthmus.vnfm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.WriteOnlyPaths;
import io.isthmus.vnf.process.VnfProcess;
import io.isthmus.vnfm.config.VnfmConfig;

/**
 * A VNF's slowpath's config endpoint (contracts.md): sends the configuration ({@code PUT /config}) and reads what it
 * holds ({@code GET /config}, 404 before the first PUT).
 */
@ApplicationScoped
public class SlowpathConfigClient {

    /** The slowpath's snapshot endpoint (contracts.md "VNF processes started by the VIM's local driver"). */
    static final String SNAPSHOT_PATH = "/snapshot";

    private final HttpClient http;
    private final ObjectMapper json;
    private final VnfmConfig config;
    private final ConfigSecrets secrets;

    public SlowpathConfigClient(HttpClient http, ObjectMapper json, VnfmConfig config, ConfigSecrets secrets) {
        this.secrets = secrets;
        this.http = http;
        this.json = json;
        this.config = config;
    }

    /** The configuration the slowpath holds; empty when it has none (it started, or restarted, since). */
    public Optional<JsonNode> config(String host, int configPort, String secret) {
        String url = url(host, configPort);
        HttpResponse<String> response = send("GET " + url, request(url, secret).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new RemoteCallException("GET " + url + " answered " + response.statusCode(),
                    response.statusCode(), response.body());
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (JsonProcessingException e) {
            throw new RemoteCallException("GET " + url + " answered no JSON: " + e.getOriginalMessage(), 502, null);
        }
    }

    /**
     * Sends the configuration, with the slowpath's config secret as bearer token when there is one. The configuration
     * is the stored one, its secrets sealed: they are opened here, for the slowpath only. Returns what the slowpath
     * said of its route tables (contracts.md: it answers once the configuration's routes are live in every fastpath,
     * or its wait ran out): {@code "routes version N live in every fastpath"}, {@code "routes version N not yet live in
     * every fastpath"}, or empty for a slowpath that keeps no route tables.
     */
    public String putConfig(String host, int configPort, String secret, Map<String, Object> vnfConfig) {
        String url = url(host, configPort);
        String body;
        try {
            body = json.writeValueAsString(secrets.open(vnfConfig));
        } catch (JsonProcessingException e) {
            throw new RemoteCallException("configuration not serialisable: " + e.getOriginalMessage(), 400, null);
        }
        HttpResponse<String> response = send("PUT " + url, request(url, secret)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() >= 300) {
            throw new RemoteCallException("PUT " + url + " answered " + response.statusCode() + ": "
                    + response.body(), response.statusCode(), response.body());
        }
        String version = response.headers().firstValue("Isthmus-Route-Version").orElse(null);
        if (version == null || "0".equals(version)) {
            return "";
        }
        return "routes version " + version + (response.headers().firstValue("Isthmus-Routes-Live")
                .map("true"::equals).orElse(false) ? " live in every fastpath" : " not yet live in every fastpath");
    }

    /**
     * The slowpath's {@code GET /snapshot}: its config and its policy's state, sealed as it is to be stored
     * ({@link ConfigSecrets#sealSnapshot}: the config's secrets, at {@code secretPaths}, then the whole text). The state
     * may hold a VNF's flow bindings and keys: never logged, nor put in an exception.
     */
    public String snapshot(String host, int configPort, String secret, WriteOnlyPaths secretPaths) {
        return secrets.sealSnapshot(snapshotText(host, configPort, secret), secretPaths);
    }

    private String snapshotText(String host, int configPort, String secret) {
        String url = "http://" + host + ":" + configPort + SNAPSHOT_PATH;
        HttpResponse<String> response = send("GET " + url, request(url, secret).GET().build());
        if (response.statusCode() != 200) {
            throw new RemoteCallException("GET " + url + " answered " + response.statusCode()
                    + (response.statusCode() == 404 ? " (the slowpath holds no config yet)" : ""),
                    response.statusCode(), null);
        }
        return response.body();
    }

    /**
     * Gives the slowpath a snapshot back ({@code PUT /snapshot}): its config and state replace the running ones. The
     * snapshot is a stored one ({@link #snapshot}), opened here for the slowpath only.
     */
    public void putSnapshot(String host, int configPort, String secret, String snapshot) {
        String url = "http://" + host + ":" + configPort + SNAPSHOT_PATH;
        HttpResponse<String> response = send("PUT " + url, request(url, secret)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(secrets.openSnapshot(snapshot))).build());
        if (response.statusCode() >= 300) {
            // the slowpath's 400 names what is wrong with the snapshot, never the state itself
            throw new RemoteCallException("PUT " + url + " answered " + response.statusCode() + ": "
                    + response.body(), response.statusCode(), response.body());
        }
    }

    /** The slowpath's {@code GET /stats} (no token needed): per fastpath its packet counters. */
    public JsonNode stats(String host, int configPort) {
        return stats(host, configPort, config.http().configTimeout());
    }

    /**
     * {@link #stats(String, int)} with the time the slowpath has to answer: a client's read waits on it (VNF
     * indicators), so it gets less than a step of an operation.
     */
    public JsonNode stats(String host, int configPort, Duration timeout) {
        String url = "http://" + host + ":" + configPort + "/stats";
        HttpResponse<String> response = send("GET " + url, HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout).GET().build());
        if (response.statusCode() != 200) {
            throw new RemoteCallException("GET " + url + " answered " + response.statusCode(),
                    response.statusCode(), response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new RemoteCallException("GET " + url + " answered no JSON: " + e.getOriginalMessage(), 502, null);
        }
    }

    /** Makes the slowpath forget a retired fastpath at once ({@code DELETE /fastpaths/{id}}); gone already is fine. */
    public void forgetFastpath(String host, int configPort, String secret, long fastpathId) {
        String url = "http://" + host + ":" + configPort + "/fastpaths/" + fastpathId;
        HttpResponse<String> response = send("DELETE " + url, request(url, secret).DELETE().build());
        if (response.statusCode() >= 300 && response.statusCode() != 404) {
            throw new RemoteCallException("DELETE " + url + " answered " + response.statusCode(),
                    response.statusCode(), response.body());
        }
    }

    private static String url(String host, int configPort) {
        return "http://" + host + ":" + configPort + VnfProcess.CONFIG_PATH;
    }

    /** A request to the config endpoint, with the slowpath's config secret as bearer token when there is one. */
    private HttpRequest.Builder request(String url, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(config.http().configTimeout());
        return secret == null ? request : request.header("Authorization", "Bearer " + secret);
    }

    /** Sends; an unreachable slowpath (or an interrupted call) is a transient RemoteCallException (status 0). */
    private HttpResponse<String> send(String what, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RemoteCallException(what + " unreachable: " + e, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("interrupted", 0, null);
        }
    }
}
