package io.isthmus.vnfm.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.vnfm.config.VnfmConfig;

/** Sends a VNF's configuration to its slowpath ({@code PUT http://host:configPort/config}, contracts.md). */
@ApplicationScoped
public class SlowpathConfigClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final VnfmConfig config;

    public SlowpathConfigClient(HttpClient http, ObjectMapper json, VnfmConfig config) {
        this.http = http;
        this.json = json;
        this.config = config;
    }

    public void putConfig(String host, int configPort, Map<String, Object> vnfConfig) {
        String url = "http://" + host + ":" + configPort + "/config";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.http().configTimeout())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(vnfConfig))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new RemoteCallException("PUT " + url + " answered " + response.statusCode() + ": "
                        + response.body(), response.statusCode(), response.body());
            }
        } catch (JsonProcessingException e) {
            throw new RemoteCallException("configuration not serialisable: " + e.getOriginalMessage(), 400, null);
        } catch (IOException e) {
            throw new RemoteCallException("PUT " + url + " unreachable: " + e, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("interrupted", 0, null);
        }
    }
}
