package io.isthmus.vnfm.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.query.AttributeFilter;

/** A SOL013 filter on values in memory: text, and numbers or text for a value of any type. */
class InMemoryFilterTest {

    private static boolean matches(String filter, Map<String, Object> element) {
        return new InMemoryFilter(AttributeFilter.parse(filter), Set.of("value")).matches(element::get);
    }

    @Test
    void aNumericFilterValueSelectsAmongNumbersComparedAsNumbers() {
        assertThat(matches("(gt,value,9)", Map.of("value", 10))).isTrue();
        assertThat(matches("(gte,value,10.0)", Map.of("value", 10))).isTrue();
        assertThat(matches("(lt,value,9)", Map.of("value", 10))).isFalse();
        assertThat(matches("(eq,value,3)", Map.of("value", 3L))).isTrue();
        assertThat(matches("(gte,value,5)", Map.of("value", "up"))).isFalse();
        assertThat(matches("(neq,value,5)", Map.of("value", "up"))).isTrue();
    }

    @Test
    void anyOtherFilterValueSelectsAmongStringsAndBooleansComparedAsText() {
        assertThat(matches("(eq,value,up)", Map.of("value", "up"))).isTrue();
        assertThat(matches("(in,value,down,true)", Map.of("value", true))).isTrue();
        assertThat(matches("(gt,value,a)", Map.of("value", 7))).isFalse();
        assertThat(matches("(cont,value,5)", Map.of("value", 1500))).isTrue();
    }

    @Test
    void otherAttributesCompareAsTextAndEveryTermMustHold() {
        Map<String, Object> element = Map.of("id", "drops.malformed", "value", 2);
        assertThat(matches("(gt,id,drops);(cont,id,.)", element)).isTrue();
        assertThat(matches("(gt,id,drops);(ncont,id,.)", element)).isFalse();
        assertThat(matches("(nin,id,a,b);(lte,value,2)", element)).isTrue();
    }
}
