package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SOL003 v3.3.1 clause 9.5.2.3 Grant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Grant(String id, String vnfInstanceId, String vnfLcmOpOccId,
        Map<String, VimConnectionInfo> vimConnectionInfo, List<ZoneInfo> zones,
        List<GrantInfo> addResources, @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VimConnectionInfo(String vimId, String vimType, Map<String, Object> interfaceInfo) {
    }

    public record ZoneInfo(String id, String zoneId, String vimConnectionId) {
    }

    public record GrantInfo(String resourceDefinitionId, String vimConnectionId, String zoneId) {
    }

    public record Links(Link self, Link vnfLcmOpOcc, Link vnfInstance) {
    }
}
