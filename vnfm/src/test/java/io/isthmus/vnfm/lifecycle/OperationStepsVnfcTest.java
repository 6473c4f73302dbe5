package io.isthmus.vnfm.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.vimapi.model.AllocationView;
import io.isthmus.vnfm.persistence.VnfcResource;

/** contracts.md: how a component the vim started becomes a vnfcResourceInfo. */
class OperationStepsVnfcTest {

    @Test
    void slowpathProcessBecomesAVnfcWithItsControlAndConfigPorts() {
        AllocationView.Component c = new AllocationView.Component("slowpath", "slowpath", 0, "127.0.0.1",
                new AllocationView.Ports(40500, 40501, null), 1234L);

        VnfcResource vnfc = OperationSteps.vnfc("vnf-1", "local", c);

        assertThat(vnfc).isEqualTo(new VnfcResource("slowpath-0", "slowpath", "local", "1234", "process",
                Map.of("host", "127.0.0.1", "controlPort", 40500, "configPort", 40501)));
    }

    @Test
    void fastpathBecomesAVnfcWithItsDataPort() {
        AllocationView.Component c = new AllocationView.Component("fastpath", "fastpath", 1, "127.0.0.1",
                new AllocationView.Ports(null, null, 41001), 77L);

        VnfcResource vnfc = OperationSteps.vnfc("vnf-1", "local", c);

        assertThat(vnfc.id()).isEqualTo("fastpath-1");
        assertThat(vnfc.metadata()).isEqualTo(Map.of("host", "127.0.0.1", "dataPort", 41001));
    }

    @Test
    void kubernetesComponentIsADeploymentNamedAfterTheAllocation() {
        AllocationView.Component c = new AllocationView.Component("fastpath", "fastpath", 0, "10.0.0.5",
                new AllocationView.Ports(null, null, 4789), null);

        VnfcResource vnfc = OperationSteps.vnfc("vnf-1", "kubernetes", c);

        assertThat(vnfc.vimConnectionId()).isEqualTo("kubernetes");
        assertThat(vnfc.vimLevelResourceType()).isEqualTo("deployment");
        assertThat(vnfc.resourceId()).isEqualTo("vnf-1-fastpath-0");
    }
}
