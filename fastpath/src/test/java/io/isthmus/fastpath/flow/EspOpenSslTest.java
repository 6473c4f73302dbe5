package io.isthmus.fastpath.flow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

import io.isthmus.fastpath.crypto.AesGcm;

/** {@link EspTest} over OpenSSL's libcrypto: nothing allocated per packet. */
class EspOpenSslTest extends EspTest {

    @BeforeAll
    static void libcryptoLoads() {
        boolean loads;
        try {
            AesGcm.openSsl();
            loads = true;
        } catch (IllegalStateException e) {
            loads = false;
        }
        assumeTrue(loads, "libcrypto does not load here: the ESP tests run over javax.crypto only (EspJdkTest)");
    }

    @Override
    AesGcm crypto() {
        return AesGcm.openSsl();
    }

    @Override
    long allowedAllocationPerPacket() {
        return 0;
    }
}
