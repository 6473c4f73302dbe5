package io.isthmus.outbox.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** An outbox row ends once: DELIVERED or DEAD, and a late second outcome does not change it. */
class OutboxMessageTest {

    private static final Instant WRITTEN = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant LATER = WRITTEN.plusSeconds(5);

    @Test
    void newMessageIsPendingWithNoAttempts() {
        OutboxMessage m = new OutboxMessage("n-1", "s-1", "http://sink/cb", "{}", WRITTEN);

        assertThat(m.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(m.attempts()).isZero();
        assertThat(m.finishedAt()).isNull();
    }

    @Test
    void deadMessageKeepsItsAttemptsAndLastErrorAsTheDeadLetterRecord() {
        OutboxMessage m = new OutboxMessage("n-1", "s-1", "http://sink/cb", "{}", WRITTEN);

        m.dead(5, "statusCode: 500", LATER);

        assertThat(m.status()).isEqualTo(OutboxStatus.DEAD);
        assertThat(m.attempts()).isEqualTo(5);
        assertThat(m.lastError()).isEqualTo("statusCode: 500");
        assertThat(m.finishedAt()).isEqualTo(LATER);
    }

    @Test
    void deliveredMessageIsNotMadeDeadByALateOutcome() {
        // Given a message delivered at the second attempt
        OutboxMessage m = new OutboxMessage("n-1", "s-1", "http://sink/cb", "{}", WRITTEN);
        m.delivered(2, LATER);

        // When a second hand-over of it ends dead
        m.dead(3, "timeout", LATER.plusSeconds(1));

        // Then it stays delivered, as it was
        assertThat(m.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(m.attempts()).isEqualTo(2);
        assertThat(m.lastError()).isNull();
        assertThat(m.finishedAt()).isEqualTo(LATER);
    }
}
