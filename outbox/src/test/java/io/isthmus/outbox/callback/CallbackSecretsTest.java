package io.isthmus.outbox.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.model.SubscriptionAuthentication;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsBasic;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsOauth2ClientCredentials;

class CallbackSecretsTest {

    private static final SubscriptionAuthentication BOTH = new SubscriptionAuthentication(
            List.of("BASIC", "OAUTH2_CLIENT_CREDENTIALS"), new ParamsBasic("user", "basic-password"),
            new ParamsOauth2ClientCredentials("client", "client-password", "https://idp.example/token"));

    private static CallbackSecrets withKey(byte fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        return new CallbackSecrets(new CallbackPolicyTest.Config(Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(Base64.getEncoder().encodeToString(key))));
    }

    @Test
    void withAKeyThePasswordsAreSealedAndOpenAgain() {
        CallbackSecrets secrets = withKey((byte) 7);

        SubscriptionAuthentication sealed = secrets.sealed(BOTH);

        assertThat(sealed.paramsBasic().password()).startsWith("aesgcm:").doesNotContain("basic-password");
        assertThat(sealed.paramsOauth2ClientCredentials().clientPassword()).startsWith("aesgcm:");
        assertThat(sealed.paramsBasic().userName()).isEqualTo("user");
        assertThat(sealed.toString()).doesNotContain("aesgcm").doesNotContain("password=basic");
        assertThat(secrets.opened(sealed)).isEqualTo(BOTH);
        assertThat(secrets.sealed(BOTH).paramsBasic().password()).isNotEqualTo(sealed.paramsBasic().password());
    }

    @Test
    void anotherKeyCannotOpenThemAndWithoutAKeyTheyAreStoredAsGiven() {
        SubscriptionAuthentication sealed = withKey((byte) 7).sealed(BOTH);

        assertThatThrownBy(() -> withKey((byte) 8).opened(sealed)).isInstanceOf(IllegalStateException.class);
        CallbackSecrets none = new CallbackSecrets(new CallbackPolicyTest.Config(Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(none.sealed(BOTH)).isEqualTo(BOTH);
        assertThat(withKey((byte) 7).opened(BOTH)).isEqualTo(BOTH);
    }
}
