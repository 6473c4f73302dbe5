package io.isthmus.vnfm.persistence;

import java.util.Map;

/** One VNFC of an instantiated VNF (stored as JSON), the source of VnfInstance.instantiatedVnfInfo.vnfcResourceInfo. */
public record VnfcResource(String id, String vduId, String vimConnectionId, String resourceId,
        String vimLevelResourceType, Map<String, Object> metadata) {
}
