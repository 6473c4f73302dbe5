package io.isthmus.fastpath.flow;

import io.isthmus.fastpath.crypto.AesGcm;

/** {@link EspTest} over javax.crypto, the fallback when libcrypto does not load. */
class EspJdkTest extends EspTest {

    @Override
    AesGcm crypto() {
        return AesGcm.jdk();
    }

    @Override
    long allowedAllocationPerPacket() {
        return 3_000;
    }
}
