package io.isthmus.sol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.problem.InvalidRequestException;

class FieldSelectionTest {

    static final ListedResource INSTANCES = ListedResource.of("VnfInstance", "E", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("vnfdId", "e.vnfdId"))
            .notFilterable("_links")
            .excludeByDefault("instantiatedVnfInfo", "metadata", "vimConnectionInfo", "extensions").build();
    static final ListedResource SUBSCRIPTIONS = ListedResource.of("LccnSubscription", "S", "createdAt")
            .filter(Attribute.string("id", "e.id")).noSelectors().build();

    private static Set<String> excluded(Map<String, List<String>> query) {
        return FieldSelection.of(query, INSTANCES).excluded();
    }

    @Test
    void noSelectorIsExcludeDefault() {
        assertThat(excluded(Map.of())).containsExactlyInAnyOrder("instantiatedVnfInfo", "metadata",
                "vimConnectionInfo", "extensions");
        assertThat(excluded(Map.of("exclude_default", List.of("")))).isEqualTo(excluded(Map.of()));
    }

    @Test
    void allFieldsExcludesNothing() {
        assertThat(excluded(Map.of("all_fields", List.of("")))).isEmpty();
    }

    @Test
    void fieldsKeepsOnlyTheListedComplexAttributes() {
        assertThat(excluded(Map.of("fields", List.of("metadata,instantiatedVnfInfo"))))
                .containsExactlyInAnyOrder("vimConnectionInfo", "extensions");
        assertThat(excluded(Map.of("fields", List.of("metadata"), "exclude_default", List.of(""))))
                .containsExactlyInAnyOrder("instantiatedVnfInfo", "vimConnectionInfo", "extensions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exclude_fields", "exclude-fields"})
    void excludeFieldsLeavesOutJustTheListed(String parameter) {
        assertThat(excluded(Map.of(parameter, List.of("metadata")))).containsExactly("metadata");
    }

    @Test
    void otherCombinationsAre400() {
        for (Map<String, List<String>> q : List.of(Map.of("all_fields", List.of(""), "fields", List.of("metadata")),
                Map.of("all_fields", List.of(""), "exclude_default", List.of("")),
                Map.of("fields", List.of("metadata"), "exclude_fields", List.of("extensions")),
                Map.of("exclude_fields", List.of("metadata"), "exclude_default", List.of("")),
                Map.of("all_fields", List.of(""), "exclude_fields", List.of("metadata")))) {
            assertThatThrownBy(() -> excluded(q)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("cannot be combined");
        }
        assertThatThrownBy(() -> excluded(Map.of("exclude_fields", List.of("metadata"), "exclude-fields",
                List.of("metadata")))).hasMessageContaining("Give exclude_fields once");
    }

    @Test
    void unknownNamesAre400() {
        assertThatThrownBy(() -> excluded(Map.of("fields", List.of("metadata,colour"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("fields names colour, which is not an attribute of VnfInstance; selectable complex"
                        + " attributes: [extensions, instantiatedVnfInfo, metadata, vimConnectionInfo]");
        assertThatThrownBy(() -> excluded(Map.of("exclude_fields", List.of("metadata,")))).hasMessageContaining(
                "empty attribute name");
    }

    @Test
    void mandatoryAndSimpleAttributesCannotBeLeftOut() {
        for (String name : List.of("_links", "id", "vnfdId")) {
            assertThatThrownBy(() -> excluded(Map.of("exclude_fields", List.of(name))))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("names " + name + ", which is always in a VnfInstance (mandatory or simple)");
        }
    }

    @Test
    void aResourceWithoutSelectorsRefusesThem() {
        assertThat(FieldSelection.of(Map.of(), SUBSCRIPTIONS).excluded()).isEmpty();
        assertThatThrownBy(() -> FieldSelection.of(Map.of("all_fields", List.of("")), SUBSCRIPTIONS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("The LccnSubscription list takes no attribute selectors (all_fields)");
    }

    @Test
    void applyRemovesTheExcludedAttributesOnly() throws Exception {
        JsonNode element = new ObjectMapper().readTree(
                "{\"id\":\"1\",\"metadata\":{\"a\":1},\"instantiatedVnfInfo\":{},\"_links\":{\"self\":{}}}");

        JsonNode shown = FieldSelection.of(Map.of(), INSTANCES).apply(element);

        assertThat(shown.toString()).isEqualTo("{\"id\":\"1\",\"_links\":{\"self\":{}}}");
    }
}
