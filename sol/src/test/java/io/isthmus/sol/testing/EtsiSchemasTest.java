package io.isthmus.sol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EtsiSchemasTest {

    private static final String LCM = "SOL003/VNFLifecycleManagement-API";
    private static final String PROBLEM = "ProblemDetails.schema.json";

    @Test
    void validProblemDetailsPasses() {
        String body = "{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"no VNF instance x\"}";

        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body)).isEmpty();
        EtsiSchemas.assertValid(body, LCM, PROBLEM);
    }

    @Test
    void problemDetailsWithoutStatusFailsShowingBodySchemaAndError() {
        String body = "{\"title\": \"Not Found\", \"detail\": \"no VNF instance x\"}";

        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body)).singleElement().asString().contains("status");
        assertThatThrownBy(() -> EtsiSchemas.assertValid(body, LCM, PROBLEM)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(body)
                .hasMessageContaining("/etsi-api-tests/" + LCM + "/schemas/" + PROBLEM)
                .hasMessageContaining("required property 'status' not found");
    }

    @Test
    void schemaBugPointerSuppressesExactlyTheErrorAtItsPlace() {
        // Given a body wrong at two places, /status and /detail
        String body = "{\"status\": \"404\", \"detail\": 7}";
        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body)).hasSize(2);

        // When one place is declared a schema bug, then only the other place's error is left
        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body, "/status")).singleElement().asString()
                .startsWith("/detail");
        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body, "/detail")).singleElement().asString()
                .startsWith("/status");
        EtsiSchemas.assertValid(body, LCM, PROBLEM, "/status", "/detail");
        // and a parent's pointer suppresses neither, nor does a pointer of a place without errors
        assertThat(EtsiSchemas.errors(LCM, PROBLEM, body, "", "/title")).hasSize(2);
    }

    @Test
    void nonStandardFormatsAreChecked() {
        // ProblemDetails.type has format "URI": an absolute URI
        assertThat(EtsiSchemas.errors(LCM, PROBLEM,
                "{\"type\": \"https://isthmus.io/problems/x\", \"status\": 400, \"detail\": \"x\"}")).isEmpty();
        assertThat(EtsiSchemas.errors(LCM, PROBLEM, "{\"type\": \"no uri\", \"status\": 400, \"detail\": \"x\"}"))
                .singleElement().asString().startsWith("/type");
        // LccnSubscription._links.self.href has format "url": any absolute http(s) URL, loopback included
        String subscription = "{\"id\": \"s\", \"callbackUri\": \"x\", \"_links\": {\"self\": {\"href\": \"%s\"}}}";
        assertThat(EtsiSchemas.errors(LCM, "LccnSubscription.schema.json",
                subscription.formatted("http://127.0.0.1:8081/vnflcm/v2/subscriptions/s"))).isEmpty();
        assertThat(EtsiSchemas.errors(LCM, "LccnSubscription.schema.json", subscription.formatted("ftp://h/s")))
                .singleElement().asString().startsWith("/_links/self/href");
        assertThat(EtsiSchemas.errors(LCM, "LccnSubscription.schema.json", subscription.formatted("/s")))
                .singleElement().asString().startsWith("/_links/self/href");
    }

    @Test
    void schemaFilesThatAreNotUtf8AreRead() {
        assertThat(EtsiSchemas.errors(LCM, "VnfLcmOperationOccurrenceNotification.schema.json", "{}"))
                .anySatisfy(e -> assertThat(e).contains("required property 'vnfInstanceId' not found"));
    }

    @Test
    void eachElementOfAnArrayIsValidated() {
        EtsiSchemas.assertEachValid("[{\"status\": 404, \"detail\": \"a\"}, {\"status\": 409, \"detail\": \"b\"}]", LCM,
                PROBLEM);
        assertThatThrownBy(
                () -> EtsiSchemas.assertEachValid("[{\"status\": 404, \"detail\": \"a\"}, {\"detail\": \"b\"}]",
                        LCM, PROBLEM))
                .isInstanceOf(AssertionError.class).hasMessageContaining("element 1")
                .hasMessageContaining("required property 'status' not found");
        assertThatThrownBy(() -> EtsiSchemas.assertEachValid("{\"status\": 404, \"detail\": \"a\"}", LCM, PROBLEM))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not a JSON array");
    }

    @Test
    void unknownSchemaIsAnError() {
        assertThatThrownBy(() -> EtsiSchemas.errors(LCM, "NoSuch.schema.json", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuch.schema.json");
    }
}
