package io.isthmus.sol.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.problem.UnprocessableContentException;

class ConfigSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = SecretCipher.newBase64Key();
    private final ConfigSecrets secrets = new ConfigSecrets(SecretCipher.ofBase64Key(KEY), JSON);

    private static final String SCHEMA = """
            {"type":"object","$defs":{"key":{"type":"string","writeOnly":true}},
             "properties":{
               "connections":{"type":"array","items":{"type":"object","properties":{
                 "name":{"type":"string"},"psk":{"type":"string","writeOnly":true}}}},
               "admin":{"type":"object","properties":{"token":{"$ref":"#/$defs/key"},"user":{"type":"string"}}},
               "keys":{"type":"object","additionalProperties":{"writeOnly":true}},
               "name":{"type":"string"}}}
            """;

    private static Map<String, Object> config() throws Exception {
        return JSON.readValue("""
                {"name":"office","connections":[{"name":"a","psk":"alpha-secret"},{"name":"b","psk":"beta-secret"}],
                 "admin":{"token":"gamma-secret","user":"root"},"keys":{"k1":{"x":"delta-secret"}}}
                """, Map.class);
    }

    private static WriteOnlyPaths paths() throws Exception {
        return WriteOnlyPaths.of(JSON.readTree(SCHEMA));
    }

    @Test
    void aSchemaMarksSecretsInArrayItemsNestedObjectsReferencesAndAdditionalProperties() throws Exception {
        assertThat(paths().paths()).containsExactlyInAnyOrder(List.of("connections", "*", "psk"),
                List.of("admin", "token"), List.of("keys", "*"));
        assertThat(WriteOnlyPaths.of(JSON.readTree("{\"type\":\"object\"}")).isEmpty()).isTrue();
    }

    @Test
    void sealedConfigurationHoldsNoPlaintextAndOpensToTheOriginal() throws Exception {
        Map<String, Object> sealed = secrets.seal(config(), paths());

        String stored = JSON.writeValueAsString(sealed);
        assertThat(stored).doesNotContain("alpha-secret", "beta-secret", "gamma-secret", "delta-secret")
                .contains("\"$encrypted\":\"v1:").contains("office", "root");
        assertThat(secrets.open(sealed)).isEqualTo(config());
        assertThat(secrets.seal(sealed, paths())).as("sealing twice seals nothing again").isEqualTo(sealed);
    }

    @Test
    void eachValueHasItsOwnNonce() throws Exception {
        Map<String, Object> a = secrets.seal(Map.of("admin", Map.of("token", "same")), paths());
        Map<String, Object> b = secrets.seal(Map.of("admin", Map.of("token", "same")), paths());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void redactLeavesSecretsOutAndKeepsTheRest() throws Exception {
        Map<String, Object> shown = ConfigSecrets.redact(secrets.seal(config(), paths()));
        JsonNode tree = JSON.valueToTree(shown);

        assertThat(tree.path("connections").get(0).has("psk")).isFalse();
        assertThat(tree.path("connections").get(1).path("name").asText()).isEqualTo("b");
        assertThat(tree.path("admin").has("token")).isFalse();
        assertThat(tree.path("admin").path("user").asText()).isEqualTo("root");
        assertThat(tree.path("keys").size()).isZero();
        assertThat(tree.toString()).doesNotContain("$encrypted");
    }

    @Test
    void anotherKeyOrAChangedValueCannotBeOpened() throws Exception {
        Map<String, Object> sealed = secrets.seal(Map.of("admin", Map.of("token", "t")), paths());
        ConfigSecrets other = new ConfigSecrets(SecretCipher.ofBase64Key(SecretCipher.newBase64Key()), JSON);
        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(SecretCipher.SecretUnreadableException.class);

        String text = (String) ((Map<?, ?>) ((Map<?, ?>) sealed.get("admin")).get("token")).get("$encrypted");
        byte[] bytes = Base64.getDecoder().decode(text.substring(3));
        bytes[14] ^= 1; // one bit of the ciphertext
        String flipped = "v1:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> secrets.open(Map.of("t", Map.of("$encrypted", flipped))))
                .isInstanceOf(SecretCipher.SecretUnreadableException.class);
    }

    @Test
    void aKeyMustBe32BytesOfBase64AndIsNeverShown() {
        assertThatThrownBy(() -> SecretCipher.ofBase64Key("c2hvcnQ=")).hasMessageContaining("32")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> SecretCipher.ofBase64Key("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretCipher.ofBase64Key("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SecretCipher.ofBase64Key(KEY).toString()).doesNotContain(KEY);
    }

    @Test
    void clientInputWithTheStoredFormIsRefused() {
        assertThatThrownBy(() -> ConfigSecrets.refuseSealedInput(
                Map.of("connections", List.of(Map.of("psk", Map.of("$encrypted", "v1:AAAA")))), "additionalParams"))
                .isInstanceOf(UnprocessableContentException.class).hasMessageContaining("additionalParams");
        ConfigSecrets.refuseSealedInput(Map.of("psk", "plain"), "additionalParams");
    }

    @Test
    void aSnapshotIsStoredSealedWholeAndOpensForTheSlowpathOnly() throws Exception {
        String body = JSON.writeValueAsString(Map.of("vnfType", "t", "config", config(), "state",
                Map.of("sa", "epsilon-key")));

        String stored = secrets.sealSnapshot(body, paths());

        assertThat(stored).startsWith("{\"$encrypted\":\"v1:").doesNotContain("alpha-secret", "epsilon-key", "office");
        String text = secrets.snapshotText(stored);
        assertThat(text).contains("epsilon-key", "office").doesNotContain("alpha-secret", "gamma-secret");
        assertThat(JSON.readTree(secrets.openSnapshot(stored))).isEqualTo(JSON.readTree(body));
        assertThat(secrets.openSnapshot(body)).as("one stored before sealing").isEqualTo(body);
    }
}
