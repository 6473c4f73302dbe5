package io.isthmus.vnf.vpn.ike;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The IKE SA's cryptography, JDK providers only: PRFs and prf+, the DH groups, AES-GCM for the SK payload. */
final class IkeCrypto {

    private IkeCrypto() {
    }

    /** HMAC-SHA2 PRFs (RFC 4868); the key length of SK_d, SK_pi, SK_pr is the output length. */
    enum Prf {
        HMAC_SHA256(IkeProposals.PRF_HMAC_SHA2_256, "HmacSHA256", 32), HMAC_SHA384(IkeProposals.PRF_HMAC_SHA2_384,
                "HmacSHA384", 48), HMAC_SHA512(IkeProposals.PRF_HMAC_SHA2_512, "HmacSHA512", 64);

        final int id;
        final String algorithm;
        final int length;
        private final ThreadLocal<Mac> mac;

        Prf(int id, String algorithm, int length) {
            this.id = id;
            this.algorithm = algorithm;
            this.length = length;
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    return Mac.getInstance(algorithm);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        static Prf of(int id) {
            for (Prf p : values()) {
                if (p.id == id) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unsupported PRF " + id);
        }

        byte[] apply(byte[] key, byte[]... parts) {
            Mac m = mac.get();
            try {
                m.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            for (byte[] part : parts) {
                m.update(part);
            }
            return m.doFinal();
        }

        /** prf+ (RFC 7296 §2.13): T1 | T2 | ... with Tn = prf(K, Tn-1 | S | n), cut to {@code length}. */
        byte[] plus(byte[] key, byte[] seed, int length) {
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int n = 1; done < length; n++) {
                if (n > 255) {
                    throw new IllegalArgumentException("prf+ output too long");
                }
                t = apply(key, t, seed, new byte[]{(byte) n});
                int take = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, take);
                done += take;
            }
            return out;
        }
    }

    /** The Diffie-Hellman groups: 14 (RFC 3526), 19 (RFC 5903, x | y), 31 (RFC 8031). */
    enum DhGroup {
        MODP2048(IkeProposals.DH_MODP2048, 256), ECP256(IkeProposals.DH_ECP256,
                64), CURVE25519(IkeProposals.DH_CURVE25519, 32);

        private static final BigInteger MODP2048_PRIME = new BigInteger(
                "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                        + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406"
                        + "B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8"
                        + "FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C3290"
                        + "5E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE5"
                        + "15D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF",
                16);
        private static final DHParameterSpec MODP2048_SPEC = new DHParameterSpec(MODP2048_PRIME, BigInteger.TWO, 256);
        private static final byte[] EC_PREFIX = hex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");
        private static final byte[] X25519_PREFIX = hex("302a300506032b656e032100");

        final int id;
        final int publicLength;

        DhGroup(int id, int publicLength) {
            this.id = id;
            this.publicLength = publicLength;
        }

        static DhGroup of(int id) {
            for (DhGroup g : values()) {
                if (g.id == id) {
                    return g;
                }
            }
            return null;
        }

        KeyExchange generate(SecureRandom random) {
            try {
                return switch (this) {
                    case MODP2048 -> {
                        KeyPairGenerator g = JCA.get().generator("DH");
                        g.initialize(MODP2048_SPEC, random);
                        KeyPair kp = g.generateKeyPair();
                        yield new KeyExchange(this, kp.getPrivate(),
                                fixed(((DHPublicKey) kp.getPublic()).getY().toByteArray(), 256));
                    }
                    case ECP256 -> {
                        KeyPairGenerator g = JCA.get().generator("EC");
                        g.initialize(new ECGenParameterSpec("secp256r1"), random);
                        KeyPair kp = g.generateKeyPair();
                        byte[] enc = kp.getPublic().getEncoded();
                        yield new KeyExchange(this, kp.getPrivate(),
                                Arrays.copyOfRange(enc, enc.length - 64, enc.length));
                    }
                    case CURVE25519 -> {
                        KeyPairGenerator g = JCA.get().generator("X25519");
                        g.initialize(255, random);
                        KeyPair kp = g.generateKeyPair();
                        byte[] enc = kp.getPublic().getEncoded();
                        yield new KeyExchange(this, kp.getPrivate(),
                                Arrays.copyOfRange(enc, enc.length - 32, enc.length));
                    }
                };
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** g^ir from our private key and the peer's public value as IKE encodes it. */
        byte[] secret(PrivateKey privateKey, byte[] peer) throws GeneralSecurityException {
            if (peer.length != publicLength) {
                throw new GeneralSecurityException("bad public value length " + peer.length + " for group " + id);
            }
            return switch (this) {
                case MODP2048 -> {
                    BigInteger y = new BigInteger(1, peer);
                    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(MODP2048_PRIME.subtract(BigInteger.ONE)) >= 0) {
                        throw new GeneralSecurityException("bad DH public value");
                    }
                    KeyAgreement ka = JCA.get().agreement("DH");
                    ka.init(privateKey);
                    ka.doPhase(JCA.get().factory("DH")
                            .generatePublic(new DHPublicKeySpec(y, MODP2048_PRIME, BigInteger.TWO)), true);
                    yield fixed(ka.generateSecret(), 256);
                }
                case ECP256 -> {
                    KeyAgreement ka = JCA.get().agreement("ECDH");
                    ka.init(privateKey);
                    ka.doPhase(JCA.get().factory("EC")
                            .generatePublic(new X509EncodedKeySpec(concat(EC_PREFIX, peer))), true);
                    yield fixed(ka.generateSecret(), 32);
                }
                case CURVE25519 -> {
                    KeyAgreement ka = JCA.get().agreement("XDH");
                    ka.init(privateKey);
                    ka.doPhase(JCA.get().factory("XDH")
                            .generatePublic(new X509EncodedKeySpec(concat(X25519_PREFIX, peer))), true);
                    byte[] s = ka.generateSecret();
                    if (MessageDigest.isEqual(s, new byte[32])) {
                        throw new GeneralSecurityException("X25519 all-zero shared secret");
                    }
                    yield s;
                }
            };
        }
    }

    /** JCA objects are costly to look up and not thread-safe: one of each per thread. */
    private static final ThreadLocal<Jca> JCA = ThreadLocal.withInitial(Jca::new);

    private static final class Jca {
        private final java.util.Map<String, KeyPairGenerator> generators = new java.util.HashMap<>();
        private final java.util.Map<String, KeyAgreement> agreements = new java.util.HashMap<>();
        private final java.util.Map<String, KeyFactory> factories = new java.util.HashMap<>();

        KeyPairGenerator generator(String algorithm) throws GeneralSecurityException {
            return cached(generators, algorithm, KeyPairGenerator::getInstance);
        }

        KeyAgreement agreement(String algorithm) throws GeneralSecurityException {
            return cached(agreements, algorithm, KeyAgreement::getInstance);
        }

        KeyFactory factory(String algorithm) throws GeneralSecurityException {
            return cached(factories, algorithm, KeyFactory::getInstance);
        }

        /** The provider lookup is the costly part: one instance per algorithm and thread. */
        private static <T> T cached(java.util.Map<String, T> cache, String algorithm, Lookup<T> lookup)
                throws GeneralSecurityException {
            T instance = cache.get(algorithm);
            if (instance == null) {
                instance = lookup.getInstance(algorithm);
                cache.put(algorithm, instance);
            }
            return instance;
        }

        private interface Lookup<T> {
            T getInstance(String algorithm) throws GeneralSecurityException;
        }
    }

    /** Our half of one key exchange. */
    record KeyExchange(DhGroup group, PrivateKey privateKey, byte[] publicValue) {

        byte[] secret(byte[] peer) throws GeneralSecurityException {
            return group.secret(privateKey, peer);
        }

        @Override
        public String toString() {
            return "KeyExchange[" + group + "]";
        }
    }

    /** AES-GCM with a 16-byte ICV and an 8-byte explicit IV after a 4-byte salt (RFC 5282). */
    static final class Aead {
        static final int IV_LENGTH = 8;
        static final int ICV_LENGTH = 16;
        private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
            try {
                return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });

        private final SecretKeySpec key;
        private final byte[] nonce = new byte[12];

        /** {@code keyMaterial} = AES key | 4-byte salt. */
        Aead(byte[] keyMaterial) {
            this.key = new SecretKeySpec(keyMaterial, 0, keyMaterial.length - 4, "AES");
            System.arraycopy(keyMaterial, keyMaterial.length - 4, nonce, 0, 4);
        }

        /** Encrypts {@code buf[plainOffset, +plainLength)} in place (room for the ICV after it). */
        void seal(byte[] buf, int aadLength, byte[] iv, int plainOffset, int plainLength)
                throws GeneralSecurityException {
            System.arraycopy(iv, 0, nonce, 4, IV_LENGTH);
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(ICV_LENGTH * 8, nonce));
            c.updateAAD(buf, 0, aadLength);
            c.doFinal(buf, plainOffset, plainLength, buf, plainOffset);
        }

        /** Decrypts {@code buf[ivOffset+8, end)} (ciphertext | ICV); the AAD is {@code buf[aadOffset, ivOffset)}. */
        byte[] open(byte[] buf, int aadOffset, int ivOffset, int end) throws GeneralSecurityException {
            if (end - ivOffset < IV_LENGTH + ICV_LENGTH) {
                throw new GeneralSecurityException("SK payload too short");
            }
            System.arraycopy(buf, ivOffset, nonce, 4, IV_LENGTH);
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(ICV_LENGTH * 8, nonce));
            c.updateAAD(buf, aadOffset, ivOffset - aadOffset);
            return c.doFinal(buf, ivOffset + IV_LENGTH, end - ivOffset - IV_LENGTH);
        }
    }

    /** NAT_DETECTION_*_IP data: SHA-1(SPIi | SPIr | IP | port) (RFC 7296 §2.23). */
    static byte[] natHash(long spiI, long spiR, Endpoint endpoint) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] in = new byte[22];
            putLong(in, 0, spiI);
            putLong(in, 8, spiR);
            in[16] = (byte) (endpoint.address() >>> 24);
            in[17] = (byte) (endpoint.address() >>> 16);
            in[18] = (byte) (endpoint.address() >>> 8);
            in[19] = (byte) endpoint.address();
            in[20] = (byte) (endpoint.port() >>> 8);
            in[21] = (byte) endpoint.port();
            return sha1.digest(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static byte[] fixed(byte[] value, int length) {
        if (value.length == length) {
            return value;
        }
        byte[] out = new byte[length];
        if (value.length > length) {
            System.arraycopy(value, value.length - length, out, 0, length); // a sign byte
        } else {
            System.arraycopy(value, 0, out, length - value.length, value.length);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
