package io.isthmus.sol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.query.AttributeFilter.Term;

class AttributeFilterTest {

    @ParameterizedTest
    @EnumSource(FilterOperator.class)
    void everyOperatorParsesWithOneValue(FilterOperator op) {
        AttributeFilter filter = AttributeFilter.parse("(" + op.token() + ",vnfdId,abc)");

        assertThat(filter.terms()).containsExactly(new Term(op, "vnfdId", List.of("abc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eq", "neq", "in", "nin", "cont", "ncont"})
    void operatorsOfSetsTakeSeveralValues(String op) {
        AttributeFilter filter = AttributeFilter.parse("(" + op + ",operationState,COMPLETED,FAILED,FAILED_TEMP)");

        assertThat(filter.terms().get(0).values()).containsExactly("COMPLETED", "FAILED", "FAILED_TEMP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gt", "gte", "lt", "lte"})
    void comparisonsTakeExactlyOneValue(String op) {
        assertThatThrownBy(() -> AttributeFilter.parse("(" + op + ",startTime,a,b)"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("operator " + op + " takes exactly one value, got 2");
    }

    @Test
    void termsJoinedBySemicolonAllHold() {
        AttributeFilter filter = AttributeFilter
                .parse("(eq,instantiationState,INSTANTIATED);(neq,instantiatedVnfInfo/vnfState,STOPPED)");

        assertThat(filter.terms()).containsExactly(
                new Term(FilterOperator.EQ, "instantiationState", List.of("INSTANTIATED")),
                new Term(FilterOperator.NEQ, "instantiatedVnfInfo/vnfState", List.of("STOPPED")));
    }

    @Test
    void quotedValuesKeepCommasParenthesesSemicolonsAndDoubledQuotes() {
        AttributeFilter filter = AttributeFilter.parse("(eq,vnfInstanceName,'a,b','(c);d','it''s','''','',x)");

        assertThat(filter.terms().get(0).values()).containsExactly("a,b", "(c);d", "it's", "'", "", "x");
    }

    @Test
    void quotedAttributeNamesAreRead() {
        assertThat(AttributeFilter.parse("('eq','metadata/a,b',v)").terms())
                .containsExactly(new Term(FilterOperator.EQ, "metadata/a,b", List.of("v")));
    }

    @Test
    void spacesArePartOfValues() {
        assertThat(AttributeFilter.parse("(eq,vnfInstanceName,my nat )").terms().get(0).values())
                .containsExactly("my nat ");
    }

    @Test
    void noFilterIsEmpty() {
        assertThat(AttributeFilter.parse(null).isEmpty()).isTrue();
        assertThat(AttributeFilter.parse("").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eq,vnfdId,x                 | position 1: a term starts with '('",
            "(eq,vnfdId,x                | position 1: the term is not closed with ')'",
            "(eq,vnfdId,x)(eq,id,y)      | position 14: expected ';' between terms, found '('",
            "(eq,vnfdId,x);              | position 15: a ';' must be followed by another term",
            "(eq,vnfdId,x);;(eq,id,y)    | position 15: a term starts with '('",
            "(eq,vnfdId)                 | this one has no value",
            "(eq)                        | this one has no attribute",
            "(like,vnfdId,x)             | position 2: unknown operator 'like'; operators: [eq, neq, gt",
            "(EQ,vnfdId,x)               | unknown operator 'EQ'",
            "(eq,vnfdId,)                | position 12: empty operator, attribute or value (write an empty value as '')",
            "(eq,,x)                     | position 5: empty operator",
            "(eq,a//b,x)                 | the attribute name 'a//b' is empty or has an empty path segment",
            "(eq,/a,x)                   | has an empty path segment",
            "(eq,vnfdId,it's)            | position 14: ''' inside a value or attribute name needs the whole of it in single quotes",
            "(eq,vnfdId,a(b)             | position 13: '(' inside a value",
            "(eq,vnfdId,a;b)             | position 13: ';' inside a value",
            "(eq,vnfdId,'abc)            | position 12: the quoted value is not closed with '",
            "(eq,vnfdId,'a'b)            | position 15: a quoted value must be followed by ',' or ')', found 'b'",
            "(eq,vnfdId,'it's')          | position 16: a quoted value must be followed by ',' or ')', found 's'"})
    void malformedFiltersAre400SayingWhatAndWhere(String filter, String detail) {
        assertThatThrownBy(() -> AttributeFilter.parse(filter)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(detail.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"(eq,vnfdId,a\u0000b)", "(eq,vnfdId,a\nb)", "(eq,vnfdId,'a\tb')", "(eq,vnfdId,a\u007f)"})
    void controlCharactersAreRefused(String filter) {
        assertThatThrownBy(() -> AttributeFilter.parse(filter)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a control character");
    }
}
