package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.isthmus.vnf.catalog.PackagedCsars;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What comes before an order in the end-to-end tests: an operator on-boards a VNF package, a tenant writes an NSD. */
final class Catalog {

    private Catalog() {
    }

    private static RequestSpecification nfvo(Platform platform, String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    /** The operator on-boards the package {@code module}'s build made (e.g. {@code vnf-nat}); its id. */
    static String onboard(Platform platform, String module) {
        String operator = NatGatewayEndToEndIT.token("oscar");
        String pkgId = nfvo(platform, operator).contentType(ContentType.JSON).body("{}")
                .post("/vnfpkgm/v2/vnf_packages").then().statusCode(201).extract().path("id");
        nfvo(platform, operator).contentType("application/zip").body(PackagedCsars.load(module))
                .put("/vnfpkgm/v2/vnf_packages/" + pkgId + "/package_content").then().statusCode(202);
        nfvo(platform, operator).get("/vnfpkgm/v2/vnf_packages/" + pkgId).then()
                .body("onboardingState", equalTo("ONBOARDED"));
        return pkgId;
    }

    /** The tenant of {@code token} writes an NSD; the id of its NsdInfo. */
    static String nsd(Platform platform, String token, String yaml) {
        String nsdInfoId = nfvo(platform, token).contentType(ContentType.JSON).body("{}")
                .post("/nsd/v2/ns_descriptors").then().statusCode(201).extract().path("id");
        nfvo(platform, token).contentType(ContentType.TEXT).body(yaml)
                .put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        return nsdInfoId;
    }
}
