package io.isthmus.vnfm.api;

import static io.isthmus.sol.testing.EtsiSchemas.assertEachValid;
import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(FakePeers.class)
class VnfInstancesResourceTest {

    @Test
    void createReturns201WithLocationAndTheProductOfThePackage() {
        // Given the nfvo has the NAT package onboarded
        // When the nfvo creates a VNF instance of its VNFD
        Response response = as(Tokens.service())
                .body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "vnfInstanceName", "nat-a", "vnfInstanceDescription",
                        "a NAT", "metadata", Map.of("tenant", "acme", "nsInstanceId", "ns-42")))
                .post(ROOT + "/vnf_instances");

        // Then it is NOT_INSTANTIATED, named after the package's product, and where Location says
        response.then().statusCode(201).header("Version", "2.0.0");
        String id = response.path("id");
        assertThat(response.header("Location")).endsWith(ROOT + "/vnf_instances/" + id);
        assertThat(response.<String>path("vnfProvider")).isEqualTo("Isthmus");
        assertThat(response.<String>path("vnfProductName")).isEqualTo("isthmus-nat");
        assertThat(response.<String>path("vnfSoftwareVersion")).isEqualTo("1.0");
        assertThat(response.<String>path("vnfdVersion")).isEqualTo("1.0");
        assertThat(response.<String>path("instantiationState")).isEqualTo("NOT_INSTANTIATED");
        assertThat(response.<Map<String, Object>>path("metadata")).containsEntry("tenant", "acme")
                .containsEntry("nsInstanceId", "ns-42");
        assertThat(response.<String>path("_links.instantiate.href")).endsWith(id + "/instantiate");
        assertValid(response.asString(), LCM_API, "vnfInstance.schema.json");
        // and the vnfm asked the nfvo with its own service token and the package API's version
        assertThat(FakePeers.nfvo().packageReads()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.authorization()).startsWith("Bearer ");
            assertThat(r.version()).isEqualTo("2.1.0");
        });
    }

    @Test
    void createdInstanceIsReadAndListed() {
        // Given an instance
        String id = Sol003.createNat(Tokens.service(), "acme");

        // When it is read, and the instances listed
        Response one = as(Tokens.service()).get(ROOT + "/vnf_instances/" + id);
        Response all = as(Tokens.service()).get(ROOT + "/vnf_instances");

        // Then both show it
        one.then().statusCode(200);
        assertThat(one.<String>path("id")).isEqualTo(id);
        assertValid(one.asString(), LCM_API, "vnfInstance.schema.json");
        all.then().statusCode(200);
        assertThat(all.<List<String>>path("id")).contains(id);
        assertEachValid(all.asString(), LCM_API, "vnfInstance.schema.json");
    }

    @Test
    void notInstantiatedInstanceIsDeleted() {
        // Given a NOT_INSTANTIATED instance
        String id = Sol003.createNat(Tokens.service(), "acme");

        // When it is deleted
        as(Tokens.service()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);

        // Then it is gone
        as(Tokens.service()).get(ROOT + "/vnf_instances/" + id).then().statusCode(404);
    }

    @Test
    void unknownInstanceIs404ProblemDetails() {
        Response response = as(Tokens.service()).get(ROOT + "/vnf_instances/no-such-instance");

        response.then().statusCode(404).contentType("application/problem+json");
        assertThat(response.<String>path("detail")).contains("no-such-instance");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
    }

    @Test
    void requestWithoutVersionHeaderIs400() {
        Response response = given().auth().oauth2(Tokens.service()).accept(ContentType.JSON)
                .get(ROOT + "/vnf_instances");

        response.then().statusCode(400).contentType("application/problem+json");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
    }

    @Test
    void requestWithoutTokenIs401() {
        Response response = given().header("Version", "2.0.0").accept(ContentType.JSON).get(ROOT + "/vnf_instances");

        response.then().statusCode(401).header("WWW-Authenticate", "Bearer");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
    }

    @Test
    void malformedJsonIs400ProblemDetails() {
        Response response = as(Tokens.service()).body("{\"vnfdId\": ").post(ROOT + "/vnf_instances");

        response.then().statusCode(400).contentType("application/problem+json");
        assertValid(response.asString(), LCM_API, "ProblemDetails.schema.json");
    }

    @Test
    void createWithoutVnfdIdIs400() {
        as(Tokens.service()).body(Map.of("vnfInstanceName", "x")).post(ROOT + "/vnf_instances").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void createOfAVnfdNoPackageHoldsIs422() {
        Response response = as(Tokens.service()).body(Map.of("vnfdId", "no-such-vnfd"))
                .post(ROOT + "/vnf_instances");

        response.then().statusCode(422).contentType("application/problem+json");
        assertThat(response.<String>path("detail")).contains("no-such-vnfd");
    }

    @Test
    void tenantSeesOnlyItsOwnInstances() {
        // Given alice (tenant acme) creates an instance, naming another tenant in vain
        String id = as(Tokens.alice()).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("tenant", "globex")))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");

        // Then it is acme's: alice sees it, bob (globex) neither reads nor lists nor deletes it, the nfvo sees it
        assertThat(as(Tokens.alice()).get(ROOT + "/vnf_instances/" + id).then().statusCode(200).extract()
                .<String>path("metadata.tenant")).isEqualTo("acme");
        as(Tokens.bob()).get(ROOT + "/vnf_instances/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(as(Tokens.bob()).get(ROOT + "/vnf_instances").then().statusCode(200).extract()
                .<List<String>>path("id")).doesNotContain(id);
        as(Tokens.bob()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(404);
        as(Tokens.service()).get(ROOT + "/vnf_instances/" + id).then().statusCode(200);
        as(Tokens.oscar()).get(ROOT + "/vnf_instances/" + id).then().statusCode(200);
    }

    @Test
    void apiVersionsNeedNoVersionHeader() {
        Response response = given().auth().oauth2(Tokens.service()).accept(ContentType.JSON)
                .get(ROOT + "/api_versions");

        response.then().statusCode(200);
        assertThat(response.<String>path("uriPrefix")).isEqualTo("/vnflcm/v2");
        assertThat(response.<List<String>>path("apiVersions.version")).containsExactly("2.0.0");
    }

    @Test
    void aVnfOfAnNsIsChangedThroughItsNsOnlyAndATenantCannotClaimOne() {
        // a tenant cannot make a VNF of its own look like part of an NS
        as(Tokens.alice()).body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("nsInstanceId", "ns-1")))
                .post(ROOT + "/vnf_instances").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("metadata.nsInstanceId"));

        // the NFVO's VNF of tenant acme's NS ns-7
        String id = as(Tokens.service())
                .body(Map.of("vnfdId", FakeNfvo.VNFD_ID, "metadata", Map.of("tenant", "acme", "nsInstanceId", "ns-7")))
                .post(ROOT + "/vnf_instances").then().statusCode(201).extract().path("id");

        // the tenant reads it, but may neither instantiate, terminate nor delete it; the 409 names the NS
        as(Tokens.alice()).get(ROOT + "/vnf_instances/" + id).then().statusCode(200);
        for (String path : List.of("/instantiate", "/terminate")) {
            Response refused = as(Tokens.alice())
                    .body(Map.of("flavourId", "default", "terminationType", "FORCEFUL"))
                    .post(ROOT + "/vnf_instances/" + id + path);
            refused.then().statusCode(409).contentType("application/problem+json");
            assertThat(refused.<String>path("detail")).contains("ns-7");
            assertValid(refused.asString(), LCM_API, "ProblemDetails.schema.json");
        }
        as(Tokens.alice()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(409);
        as(Tokens.oscar()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(409);

        // nothing changed, and the NFVO itself still may
        as(Tokens.alice()).get(ROOT + "/vnf_instances/" + id).then().statusCode(200)
                .body("instantiationState", org.hamcrest.Matchers.equalTo("NOT_INSTANTIATED"));
        as(Tokens.service()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);
    }

    @Test
    void subscribersHearOfEachInstanceCreatedAndDeleted() {
        String callback = FakePeers.sink().callbackUri("identifiers");
        as(Tokens.service()).body(Map.of("callbackUri", callback, "filter", Map.of("notificationTypes",
                List.of("VnfIdentifierCreationNotification", "VnfIdentifierDeletionNotification"))))
                .post(ROOT + "/subscriptions").then().statusCode(org.hamcrest.Matchers.oneOf(201, 303));

        String id = Sol003.createNat(Tokens.service(), "acme");
        as(Tokens.service()).delete(ROOT + "/vnf_instances/" + id).then().statusCode(204);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                FakePeers.sink().deliveries().stream().filter(d -> d.path().endsWith("/identifiers"))
                        .filter(d -> id.equals(d.body().path("vnfInstanceId").asText()))
                        .map(d -> d.body().path("notificationType").asText()))
                .containsExactly("VnfIdentifierCreationNotification", "VnfIdentifierDeletionNotification"));
    }
}
