package io.isthmus.slowpath.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.isthmus.slowpath.testing.RecordingPolicy;

class VnfPoliciesTest {

    @Test
    void findsThePolicyOfAVnfTypeThroughTheServiceLoader() {
        assertThat(VnfPolicies.load("test")).isInstanceOf(RecordingPolicy.class);
    }

    @Test
    void anUnknownTypeNamesTheAvailableOnes() {
        assertThatThrownBy(() -> VnfPolicies.load("slb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'slb'").hasMessageContaining("[test]");
    }
}
