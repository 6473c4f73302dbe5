package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;

class ActionProgramTableTest {

    @Test
    void aProgramPacksOpcodesAndOperandsIntoOneLineAndReadsThemBack() {
        // Given a program of the eight actions a program may hold
        ActionProgramTable table = new ActionProgramTable(4);
        int program = table.allocate();
        long rewrite = ActionProgramTable.addressPort(0xFFFF_FFFF, 0xFFFF);
        assertThat(table.append(program, Action.REWRITE_SOURCE, rewrite)).isTrue();
        assertThat(table.append(program, Action.SET_VNI, 0xFF_FFFF)).isTrue();
        for (int i = 2; i < ActionProgramTable.MAX_ACTIONS; i++) {
            assertThat(table.append(program, Action.COUNT, 0)).isTrue();
        }

        // Then a ninth is refused and everything reads back, operands of all 48 bits intact
        assertThat(table.append(program, Action.DROP, 0)).isFalse();
        assertThat(table.length(program)).isEqualTo(ActionProgramTable.MAX_ACTIONS);
        assertThat(table.opcode(program, 0)).isEqualTo(Action.REWRITE_SOURCE);
        assertThat(ActionProgramTable.address(table.operand(program, 0))).isEqualTo(0xFFFF_FFFF);
        assertThat(ActionProgramTable.port(table.operand(program, 0))).isEqualTo(0xFFFF);
        assertThat(table.operand(program, 1)).isEqualTo(0xFF_FFFF);
        assertThat(table.opcode(program, 7)).isEqualTo(Action.COUNT);
    }

    @Test
    void anOperandWiderThan48BitsIsRefused() {
        ActionProgramTable table = new ActionProgramTable(1);
        int program = table.allocate();

        assertThat(table.append(program, Action.ESP_ENCRYPT, -1L)).isFalse();
        assertThat(table.length(program)).isZero();
    }

    @Test
    void theTtlCanBeCheckedFirstOnlyWhenNoEspActionComesBeforeTheDecrement() {
        ActionProgramTable table = new ActionProgramTable(2);
        int plain = table.allocate();
        table.append(plain, Action.REWRITE_SOURCE, 1);
        table.append(plain, Action.DECREMENT_TTL, 0);
        int afterDecrypt = table.allocate();
        table.append(afterDecrypt, Action.ESP_DECRYPT, 0);
        table.append(afterDecrypt, Action.DECREMENT_TTL, 0);

        assertThat(table.checksTtlFirst(plain)).isTrue();
        assertThat(table.checksTtlFirst(afterDecrypt)).isFalse();
    }

    @Test
    void growsFromSmallToItsCapacityKeepingProgramsAndReusesFreedOnes() {
        // Given a table for 5000 programs, which starts with room for far fewer
        ActionProgramTable table = new ActionProgramTable(5_000);
        assertThat(table.allocated()).isLessThan(5_000);
        int first = table.allocate();
        table.append(first, Action.SET_NEXT_HOP, 42);

        // When all are allocated
        Set<Integer> programs = new HashSet<>();
        programs.add(first);
        for (int i = 1; i < 5_000; i++) {
            programs.add(table.allocate());
        }

        // Then they are distinct, the table grew to its capacity, the first program survived the copies,
        // and there is no more; a freed one comes back, reset
        assertThat(programs).hasSize(5_000);
        assertThat(table.allocated()).isEqualTo(5_000);
        assertThat(table.operand(first, 0)).isEqualTo(42);
        assertThat(table.allocate()).isEqualTo(ActionProgramTable.NONE);
        assertThat(table.available()).isZero();
        table.count(first, 100);
        table.free(first);
        assertThat(table.available()).isEqualTo(1);
        int again = table.allocate();
        assertThat(again).isEqualTo(first);
        assertThat(table.length(again)).isZero();
        assertThat(table.packets(again)).isZero();

        // And clearing frees every one
        table.clear();
        assertThat(table.available()).isEqualTo(5_000);
    }
}
