package io.isthmus.nfvo;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.isthmus.sol.testing.ClientSecrets;

/** Real tokens from the realm's Keycloak: people by password grant, the platform's services by client credentials. */
public final class Tokens {

    private Tokens() {
    }

    private static String tokenUrl() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class)
                + "/protocol/openid-connect/token";
    }

    public static String user(String name) {
        return given().formParam("grant_type", "password").formParam("client_id", "isthmus-cli")
                .formParam("username", name).formParam("password", name).post(tokenUrl()).then().statusCode(200)
                .extract().path("access_token");
    }

    public static String client(String id, String secret) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", id)
                .formParam("client_secret", secret).post(tokenUrl()).then().statusCode(200).extract()
                .path("access_token");
    }

    public static String service() {
        return client("isthmus-vnfm", ClientSecrets.vnfm());
    }
}
