package io.isthmus.sol.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * SOL013 clause 8.3.4 SubscriptionAuthentication: how the producer authenticates to the subscriber's callback URI. Part
 * of the request only; SOL003/SOL005 LccnSubscription has no {@code authentication}, so no secret is ever returned.
 * TLS_CERT is not supported. {@code toString} hides the secrets, which may end up in a log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionAuthentication(List<String> authType, ParamsBasic paramsBasic,
        ParamsOauth2ClientCredentials paramsOauth2ClientCredentials) {

    public static final String BASIC = "BASIC";
    public static final String OAUTH2_CLIENT_CREDENTIALS = "OAUTH2_CLIENT_CREDENTIALS";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParamsBasic(String userName, String password) {

        @Override
        public String toString() {
            return "ParamsBasic[userName=" + userName + ", password=***]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParamsOauth2ClientCredentials(String clientId, String clientPassword, String tokenEndpoint) {

        @Override
        public String toString() {
            return "ParamsOauth2ClientCredentials[clientId=" + clientId + ", clientPassword=***, tokenEndpoint="
                    + tokenEndpoint + "]";
        }
    }
}
