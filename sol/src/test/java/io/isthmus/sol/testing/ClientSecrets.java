package io.isthmus.sol.testing;

/**
 * The secrets of the realm's confidential clients, for tests that get tokens as the platform's services. The realm
 * holds no secret of its own: {@code ./nfv} makes them for each work directory (its {@code secrets.env}) and
 * {@code ./nfv test} exports them.
 */
public final class ClientSecrets {

    private ClientSecrets() {
    }

    /** The secret of the client {@code isthmus-nfvo}. */
    public static String nfvo() {
        return fromEnvironment("ISTHMUS_NFVO_CLIENT_SECRET");
    }

    /** The secret of the client {@code isthmus-vnfm}. */
    public static String vnfm() {
        return fromEnvironment("ISTHMUS_VNFM_CLIENT_SECRET");
    }

    private static String fromEnvironment(String variable) {
        String secret = System.getenv(variable);
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run the tests with ./nfv test, which exports the"
                    + " client secrets of the Keycloak it runs");
        }
        return secret;
    }
}
