package io.isthmus.vnfm.service;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/**
 * SOL003 v3.3.1 clause 5.5.2.20 CreateVnfSnapshotInfoRequest: an empty body makes an empty "individual VNF snapshot";
 * a VNF snapshot package ({@code vnfSnapshotPkgId}) or a given {@code vnfSnapshot} is not supported here (422).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateVnfSnapshotInfoRequest(@MaxLength(255) String vnfSnapshotPkgId, Map<String, Object> vnfSnapshot) {
}
