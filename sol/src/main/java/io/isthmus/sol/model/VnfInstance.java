package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SOL003 v3.3.1 clause 5.5.2.2 VnfInstance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfInstance(String id, String vnfInstanceName, String vnfInstanceDescription, String vnfdId,
        String vnfProvider, String vnfProductName, String vnfSoftwareVersion, String vnfdVersion,
        Map<String, Object> vnfConfigurableProperties, String instantiationState,
        InstantiatedVnfInfo instantiatedVnfInfo, Map<String, Object> metadata, Map<String, Object> extensions,
        @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstantiatedVnfInfo(String flavourId, String vnfState, List<ScaleInfo> scaleStatus,
            List<ScaleInfo> maxScaleLevels, List<VnfExtCpInfo> extCpInfo, List<VnfcResourceInfo> vnfcResourceInfo) {
    }

    /**
     * SOL003 v3.3.1 clause 5.5.3.25 VnfExtCpInfo. {@code metadata.ingress} publishes where the connection point takes
     * traffic (contracts.md "Ingress").
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfExtCpInfo(String id, String cpdId, String cpConfigId, String vnfdId,
            List<CpProtocolInfo> cpProtocolInfo, Map<String, Object> metadata) {
    }

    /** SOL003 CpProtocolInfo: {@code layerProtocol} IP_OVER_ETHERNET and its addresses. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CpProtocolInfo(String layerProtocol, Map<String, Object> ipOverEthernet) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfcResourceInfo(String id, String vduId, ResourceHandle computeResource,
            Map<String, Object> metadata) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceHandle(String vimConnectionId, String resourceId, String vimLevelResourceType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link indicators, Link instantiate, Link terminate, Link scale, Link scaleToLevel,
            Link changeFlavour, Link heal, Link operate, Link changeExtConn, Link createSnapshot,
            Link revertToSnapshot) {
    }
}
