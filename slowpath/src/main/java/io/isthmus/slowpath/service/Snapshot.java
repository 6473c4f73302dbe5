package io.isthmus.slowpath.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A VNF snapshot, the body of {@code GET /snapshot} and {@code PUT /snapshot} (docs/contracts.md): the slowpath's
 * state and the VNF's configuration, so that a VNF reverted to it goes on where it was (a NAT keeps the bindings it
 * had).
 *
 * @param vnfType the VNF type whose policy took it; only a slowpath of that type restores it
 * @param config the configuration in effect
 * @param state the policy's state ({@code VnfPolicy.snapshotState}; {@code {}} for a policy without state)
 * @param takenAt when it was taken (UTC)
 */
@JsonPropertyOrder({"vnfType", "config", "state", "takenAt"})
public record Snapshot(String vnfType, JsonNode config, JsonNode state, Instant takenAt) {
}
