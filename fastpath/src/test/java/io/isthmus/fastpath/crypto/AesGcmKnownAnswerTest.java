package io.isthmus.fastpath.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both AES-GCM implementations against the test cases of McGrew and Viega, "The Galois/Counter Mode of Operation
 * (GCM)", the specification RFC 4106 builds on: cases 3 and 4 (AES-128) and 15 and 16 (AES-256), 64 and 60 bytes of
 * plaintext, with and without 20 bytes of AAD, a 96-bit IV. The IV is the ESP nonce: a 4-byte salt and an 8-byte IV.
 */
class AesGcmKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final String KEY_128 = "feffe9928665731c6d6a8f9467308308";
    private static final String KEY_256 = KEY_128 + KEY_128;
    private static final String PLAIN_64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private static final String PLAIN_60 = PLAIN_64.substring(0, 120);
    private static final String AAD_20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    /** IV cafebabefacedbaddecaf888: salt cafebabe, explicit IV facedbaddecaf888. */
    private static final int SALT = 0xcafebabe;
    private static final long IV = 0xfacedbaddecaf888L;

    static Stream<Arguments> cases() {
        return Stream.of("jdk", "openssl").flatMap(impl -> Stream.of(
                Arguments.of(impl, "case 3", KEY_128, PLAIN_64, "",
                        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                        "4d5c2af327cd64a62cf35abd2ba6fab4"),
                Arguments.of(impl, "case 4", KEY_128, PLAIN_60, AAD_20,
                        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                        "5bc94fbc3221a5db94fae95ae7121a47"),
                Arguments.of(impl, "case 15", KEY_256, PLAIN_64, "",
                        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
                        "b094dac5d93471bdec1a502270e3cc6c"),
                Arguments.of(impl, "case 16", KEY_256, PLAIN_60, AAD_20,
                        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                        "76fc6ece0f4e1768cddf8853bb2d551b")));
    }

    static AesGcm implementation(String name) {
        if (name.equals("openssl")) {
            assumeTrue(OpenSslAesGcm.isAvailable(), () -> "libcrypto does not load here: "
                    + OpenSslAesGcm.unavailableReason());
            return AesGcm.openSsl();
        }
        return AesGcm.jdk();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sealsToTheSpecificationsCiphertextAndTag(String impl, String name, String key, String plain, String aad,
            String cipher, String tag) {
        // Given a context keyed with the test case's key
        AesGcm gcm = implementation(impl);
        byte[] keyBytes = HEX.parseHex(key);
        try (AesGcm.Context context = gcm.context(keyBytes, 0, keyBytes.length, SALT, true)) {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            byte[] plainBytes = HEX.parseHex(plain);
            buffer.put(10, plainBytes);

            // When it seals the plaintext (moving it 6 bytes on, as ESP does)
            context.seal(buffer, 10, plainBytes.length, 16, IV, HEX.parseHex(aad));

            // Then ciphertext and tag are the specification's
            byte[] out = new byte[plainBytes.length + AesGcm.TAG_LENGTH];
            buffer.get(16, out);
            assertThat(HEX.formatHex(out)).isEqualTo(cipher + tag);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void opensTheSpecificationsCiphertextAndRefusesAFlippedTag(String impl, String name, String key, String plain,
            String aad, String cipher, String tag) {
        AesGcm gcm = implementation(impl);
        byte[] keyBytes = HEX.parseHex(key);
        try (AesGcm.Context context = gcm.context(keyBytes, 0, keyBytes.length, SALT, false)) {
            byte[] sealed = HEX.parseHex(cipher + tag);
            ByteBuffer buffer = ByteBuffer.allocateDirect(256);
            buffer.put(40, sealed);

            // When opened into place 20 bytes earlier (as ESP does), it is the plaintext
            assertThat(context.open(buffer, 40, sealed.length - 16, 20, IV, HEX.parseHex(aad))).isTrue();
            byte[] out = new byte[sealed.length - 16];
            buffer.get(20, out);
            assertThat(HEX.formatHex(out)).isEqualTo(plain);

            // And with one bit of the tag flipped it does not open
            sealed[sealed.length - 1] ^= 1;
            buffer.put(40, sealed);
            assertThat(context.open(buffer, 40, sealed.length - 16, 20, IV, HEX.parseHex(aad))).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theEspFormOfTheAadIsTheSameAsAnyAadOfItsBytes(String impl, String name, String key, String plain,
            String aad, String cipher, String tag) {
        // ESP's 8 and 12-byte AADs given as words must seal as the same bytes given whole (two contexts, as
        // javax.crypto refuses to seal twice with one nonce)
        AesGcm gcm = implementation(impl);
        byte[] keyBytes = HEX.parseHex(key);
        byte[] plainBytes = HEX.parseHex(plain);
        try (AesGcm.Context context = gcm.context(keyBytes, 0, keyBytes.length, SALT, true);
                AesGcm.Context twin = gcm.context(keyBytes, 0, keyBytes.length, SALT, true)) {
            for (int length : new int[]{8, 12}) {
                byte[] aadBytes = HEX.parseHex("0000abcd00000001ffffffff".substring(0, length * 2));
                ByteBuffer words = ByteBuffer.allocate(128);
                ByteBuffer bytes = ByteBuffer.allocate(128);
                words.put(0, plainBytes);
                bytes.put(0, plainBytes);
                context.seal(words, 0, plainBytes.length, 0, IV + length, 0xabcd, 1, -1, length);
                twin.seal(bytes, 0, plainBytes.length, 0, IV + length, aadBytes);
                assertThat(words.array()).isEqualTo(bytes.array());
            }
        }
    }
}
