package io.isthmus.vim.persistence;

import static io.isthmus.vim.persistence.ReplicaStatus.FAILED;
import static io.isthmus.vim.persistence.ReplicaStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaStatusTest {

    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource({
            "RUNNING, STOPPED, true",
            "RUNNING, FAILED,  true",
            "STOPPED, RUNNING, true",
            "STOPPED, FAILED,  true",
            "FAILED,  RUNNING, true",
            "FAILED,  STOPPED, true",
            "RUNNING, RUNNING, false",
            "STOPPED, STOPPED, false"
    })
    void transitionTable(ReplicaStatus from, ReplicaStatus to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @Test
    void aReplicaStampsEachChangeWithItsTimeAndReason() {
        ComponentPlacement fastpath = new ComponentPlacement("fastpath", "fastpath", 1, "127.0.0.1", null, null,
                40001, 4242L, null, 1, STARTED);
        assertThat(fastpath.status()).isEqualTo(RUNNING);

        fastpath.mark(FAILED, "exited with code 137", STARTED.plusSeconds(5));
        assertThat(fastpath.status()).isEqualTo(FAILED);
        assertThat(fastpath.statusReason()).isEqualTo("exited with code 137");
        assertThat(fastpath.statusAt()).isEqualTo(STARTED.plusSeconds(5));

        // the same status again keeps the first reason and time: it says since when
        fastpath.mark(FAILED, "exited with code 1", STARTED.plusSeconds(6));
        assertThat(fastpath.statusReason()).isEqualTo("exited with code 137");

        fastpath.relaunched("127.0.0.1", null, null, 40001, 4343L, null, "restarted on request",
                STARTED.plusSeconds(7));
        assertThat(fastpath.status()).isEqualTo(RUNNING);
        assertThat(fastpath.pid()).isEqualTo(4343L);
        assertThat(fastpath.statusAt()).isEqualTo(STARTED.plusSeconds(7));
    }
}
