package io.isthmus.vim.persistence;

import static io.isthmus.vim.persistence.AllocationState.ACTIVE;
import static io.isthmus.vim.persistence.AllocationState.STARTING;
import static io.isthmus.vim.persistence.AllocationState.STOPPED;
import static io.isthmus.vim.persistence.AllocationState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllocationStateTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource({
            "STARTING, ACTIVE,   true",
            "STARTING, STOPPED,  true",
            "STARTING, STOPPING, false",
            "ACTIVE,   STOPPING, true",
            "ACTIVE,   STOPPED,  true",
            "ACTIVE,   STARTING, false",
            "STOPPING, STOPPED,  true",
            "STOPPING, ACTIVE,   false",
            "STOPPED,  STARTING, false",
            "STOPPED,  ACTIVE,   false"
    })
    void transitionTable(AllocationState from, AllocationState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"STARTING, true", "ACTIVE, true", "STOPPING, true", "STOPPED, false"})
    void resourcesAreHeldUntilStopped(AllocationState state, boolean holds) {
        assertThat(state.holdsResources()).isEqualTo(holds);
    }

    @Test
    void refusedTransitionLeavesTheAllocationAsItWas() {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Allocation allocation = new Allocation("a1", "acme", "vnf-1", "nat", "local", "local",
                List.of(new AllocationComponent(0, "slowpath", "slowpath", 1, 1, 512)), "secret", created);

        assertThatThrownBy(() -> allocation.transition(STOPPING, "release requested", created.plusSeconds(1)))
                .isInstanceOf(IllegalAllocationTransitionException.class)
                .hasMessage("Allocation a1 is STARTING and cannot become STOPPING");
        assertThat(allocation.state()).isEqualTo(STARTING);

        allocation.transition(ACTIVE, "all components ready", created.plusSeconds(2));
        assertThat(allocation.state()).isEqualTo(ACTIVE);
        assertThat(allocation.stateEnteredAt()).isEqualTo(created.plusSeconds(2));
        assertThat(allocation.charged()).isEqualTo(new Resources(1, 512));
        allocation.transition(STOPPED, "the VIM shut down", created.plusSeconds(3));
        assertThat(allocation.stateReason()).isEqualTo("the VIM shut down");
    }
}
