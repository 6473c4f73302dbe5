package io.isthmus.sol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.InvalidRequestException;

class JpqlWhereTest {

    static final ListedResource OPS = ListedResource.of("VnfLcmOpOcc", "OpEntity", "startTime")
            .filter(Attribute.string("id", "e.id"), Attribute.string("vnfInstanceId", "e.vnfInstanceId"),
                    Attribute.enumeration("operationState", "e.state", LcmOperationState.class),
                    Attribute.bool("isAutomaticInvocation", "e.automatic"),
                    Attribute.dateTime("startTime", "e.startTime"), Attribute.integer("attempts", "e.attempts"),
                    Attribute.choice("operation", "e.operation", "INSTANTIATE", "TERMINATE"),
                    Attribute.string("instantiatedVnfInfo/vnfState", "e.vnfState"),
                    Attribute.mapEntries("metadata", "e.metadata"))
            .notFilterable("_links").excludeByDefault("operationParams", "error").build();

    private static JpqlWhere where(String filter) {
        return JpqlWhere.of(AttributeFilter.parse(filter), OPS);
    }

    @Test
    void noFilterIsTrue() {
        assertThat(where(null)).isEqualTo(new JpqlWhere("true", Map.of()));
    }

    @Test
    void eachOperatorBecomesItsCondition() {
        assertThat(where("(eq,id,a)").condition()).isEqualTo("e.id = :f0");
        assertThat(where("(eq,id,a,b)").condition()).isEqualTo("e.id in :f0");
        assertThat(where("(in,id,a)").condition()).isEqualTo("e.id = :f0");
        assertThat(where("(neq,id,a)").condition()).isEqualTo("(e.id is null or e.id <> :f0)");
        assertThat(where("(nin,id,a,b)").condition()).isEqualTo("(e.id is null or e.id not in :f0)");
        assertThat(where("(gt,id,a)").condition()).isEqualTo("e.id > :f0");
        assertThat(where("(gte,id,a)").condition()).isEqualTo("e.id >= :f0");
        assertThat(where("(lt,id,a)").condition()).isEqualTo("e.id < :f0");
        assertThat(where("(lte,id,a)").condition()).isEqualTo("e.id <= :f0");
        assertThat(where("(cont,id,a,b)").condition())
                .isEqualTo("(e.id like :f0 escape '!' or e.id like :f1 escape '!')");
        assertThat(where("(ncont,id,a,b)").condition())
                .isEqualTo("(e.id is null or (e.id not like :f0 escape '!' and e.id not like :f1 escape '!'))");
    }

    @Test
    void valuesAreParametersNeverText() {
        JpqlWhere w = where("(eq,id,'x'' or 1=1 --');(eq,vnfInstanceId,a,b)");

        assertThat(w.condition()).isEqualTo("e.id = :f0 and e.vnfInstanceId in :f1");
        assertThat(w.parameters()).isEqualTo(Map.of("f0", "x' or 1=1 --", "f1", List.of("a", "b")));
    }

    @Test
    void containsMatchesWildcardsLiterally() {
        assertThat(where("(cont,id,50%_a!b)").parameters()).containsEntry("f0", "%50!%!_a!!b%");
    }

    @Test
    void typedValuesAreReadIntoTheirType() {
        assertThat(where("(eq,operationState,FAILED_TEMP,COMPLETED)").parameters())
                .containsEntry("f0", List.of(LcmOperationState.FAILED_TEMP, LcmOperationState.COMPLETED));
        assertThat(where("(eq,isAutomaticInvocation,false)").parameters()).containsEntry("f0", false);
        assertThat(where("(gte,startTime,2026-01-31T10:00:00+01:00)").parameters())
                .containsEntry("f0", Instant.parse("2026-01-31T09:00:00Z"));
        assertThat(where("(lt,attempts,3)").parameters()).containsEntry("f0", 3L);
        assertThat(where("(eq,operation,TERMINATE)").parameters()).containsEntry("f0", "TERMINATE");
    }

    @Test
    void nestedAttributesAreTheirColumn() {
        assertThat(where("(eq,instantiatedVnfInfo/vnfState,STARTED)").condition()).isEqualTo("e.vnfState = :f0");
    }

    @Test
    void mapEntriesAreReadFromTheJsonColumn() {
        JpqlWhere w = where("(eq,metadata/tenant,acme)");

        assertThat(w.condition()).isEqualTo("function('jsonb_extract_path_text', e.metadata, :f0) = :f1");
        assertThat(w.parameters()).isEqualTo(Map.of("f0", "tenant", "f1", "acme"));
    }

    @Test
    void badTypedValuesAre400NamingTheAttribute() {
        assertThatThrownBy(() -> where("(eq,operationState,DONE)")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Filter value 'DONE' of attribute operationState is not one of [STARTING, PROCESSING,"
                        + " COMPLETED, FAILED_TEMP, FAILED, ROLLING_BACK, ROLLED_BACK]");
        assertThatThrownBy(() -> where("(eq,isAutomaticInvocation,yes)")).hasMessageContaining("not one of [true,"
                + " false]");
        assertThatThrownBy(() -> where("(gt,startTime,yesterday)")).hasMessageContaining("startTime is not an RFC"
                + " 3339 date-time");
        assertThatThrownBy(() -> where("(gt,attempts,three)")).hasMessageContaining("attempts is not an integer");
        assertThatThrownBy(() -> where("(eq,operation,HEAL)")).hasMessageContaining("[INSTANTIATE, TERMINATE]");
    }

    @Test
    void operatorsAreCheckedAgainstTheType() {
        assertThatThrownBy(() -> where("(cont,operationState,FAIL)")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Operator cont does not apply to attribute operationState (enum)");
        assertThatThrownBy(() -> where("(gt,isAutomaticInvocation,true)"))
                .hasMessage("Operator gt does not apply to attribute isAutomaticInvocation (boolean)");
        assertThatThrownBy(() -> where("(ncont,startTime,2026)")).hasMessageContaining("(date-time)");
    }

    @Test
    void unknownAttributeIs400ListingTheFilterableOnes() {
        assertThatThrownBy(() -> where("(eq,colour,red)")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Unknown attribute colour of VnfLcmOpOcc in filter; filterable: [attempts,"
                        + " id, instantiatedVnfInfo/vnfState, isAutomaticInvocation, metadata/<key>, operation,");
        assertThatThrownBy(() -> where("(eq,id/x,a)")).hasMessageStartingWith("Attribute id/x of VnfLcmOpOcc"
                + " cannot be used in a filter");
        assertThatThrownBy(() -> where("(eq,metadata/a/b,x)")).hasMessageContaining("cannot be used in a filter");
    }

    @Test
    void attributesOfTheRepresentationWithoutColumnAreRefusedAsSuch() {
        assertThatThrownBy(() -> where("(eq,_links/self/href,x)")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Attribute _links/self/href of VnfLcmOpOcc cannot be used in a filter;"
                        + " filterable: [");
        assertThatThrownBy(() -> where("(eq,error/status,500)")).hasMessageContaining("cannot be used in a filter");
        assertThatThrownBy(() -> where("(eq,metadata,x)")).hasMessageContaining("cannot be used in a filter");
    }
}
