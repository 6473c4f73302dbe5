package io.isthmus.vnf.vpn.ike;

import static io.isthmus.vnf.vpn.ike.IkeCrypto.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isthmus.vnf.vpn.ike.IkeCrypto.DhGroup;
import io.isthmus.vnf.vpn.ike.IkeCrypto.Prf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.spec.DHPrivateKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers computed independently of this code: {@code src/test/resources/ike/kat.py} (Python hmac/hashlib and
 * {@code cryptography}), RFC 7748 §6.1 for X25519.
 */
class IkeKatTest {

    private static final byte[] NI = range(0, 32);
    private static final byte[] NR = range(32, 64);
    private static final byte[] GIR = filled(0xaa, 32);
    private static final long SPI_I = 0x0102030405060708L;
    private static final long SPI_R = 0x1112131415161718L;

    @ParameterizedTest
    @CsvSource({
            "HMAC_SHA256, e5e25bf1d8a1d28d8abdd6576e23b6e0d4cf5474849df97169ba32c7c9859121, "
                    + "6f34353460d10aa36e430ec3027673b0885ab8c2958840c020786ca612787bd5, "
                    + "bd7633e6e3c35af266e3754bdc3474f8254aa450, ed2c34496ded58b8e22b5953f198f85a6fd4ef95, "
                    + "5774d688c17b466f53699d5134c751e616ca8fa019a978360c43d5e261c65199, "
                    + "f6fe62a2b94e2a8afb3527fbdcbbb71c2b27facb77ef85f7618df338ed9e4f0b",
            "HMAC_SHA384, 2dbc8c3b35be41f98a34b8569fbb37103496f8e26c17194a7f255cc11438565ca4251d5a95d3e87b47224ac8ad72e734, "
                    + "0ba7d4d76e7550bad53d664da1bb04931a8aa61dc8357893d91a636585c0a73d5d0a46ae767f562a70edabc08534f957, "
                    + "4b21098c9501e06bcd39661621a713d0d48b5c9c, 0ac72436a42c75f0d6257b3dccf2f110cd7f0557, "
                    + "fdd4ed242c6c6fd37820d741db2e57fe11c08fda1ecad38b4f7c319bd52627c581929ea95dc3c2e1bcb5340c0ba0e42a, "
                    + "117c5955b7af9decea1d0c4f46df79a58704f540f86488f81eef31cdebd58ae450fb873a61fa9be49b1b2fd96a693ec8",
            "HMAC_SHA512, d70dacda0f25a6b14623490cc81d4f6eee213c59dcabcb37d880042eabb333ece903a0292f7e1d150c2790816df88dba"
                    + "59d7c4b26217587b11409c90d2363d21, 382522d9c39f950ffe4ef3ae3457b7ff02a54c4f9d18493e0c12bc7a2bf7bc9e"
                    + "2b6af42c094751c04a8398afc9749fa75b9aaf143ef2b52b54b28b76d36a7286, "
                    + "fb749a3bcd1254db7f56f083ae6fae18d7b03b00, 3feedc15896e2a57be0e85aa9998df429e1fcb89, "
                    + "59726341f2cd43d8741632a8a8c655bdfcbd8c776f5806371e1985f647c8024c2057c6c5e8bf9ecb504ec648d6fcff7d"
                    + "7d9395e6e91a94b032ae6282d236321f, 97d2850eca42b6b60db7bd1c6d0e4a6f5de2c9d2e951a242f744f92f5e0a5f64"
                    + "afcfe29aea2f17680b317122ed89b239a6191138dcf006e4cd57ac48174aeecf"})
    void ikeSaKeysMatchAnIndependentDerivation(Prf prf, String skeyseed, String skD, String skEi, String skEr,
            String skPi, String skPr) {
        byte[] seed = IkeKeys.skeyseed(prf, NI, NR, GIR);
        IkeKeys keys = IkeKeys.derive(prf, seed, NI, NR, SPI_I, SPI_R, 16);

        assertThat(seed).isEqualTo(hex(skeyseed));
        assertThat(keys.skD()).isEqualTo(hex(skD));
        assertThat(keys.skEi()).isEqualTo(hex(skEi));
        assertThat(keys.skEr()).isEqualTo(hex(skEr));
        assertThat(keys.skPi()).isEqualTo(hex(skPi));
        assertThat(keys.skPr()).isEqualTo(hex(skPr));
        assertThat(keys.toString()).doesNotContain(skD.substring(0, 8));
    }

    @ParameterizedTest
    @CsvSource({
            "HMAC_SHA256, b6e4391c30c3832e7dc32f8b1ff65e8e72fb75299d992723ce9ccd1baf86b4a3, "
                    + "b7a08794d901a9b01c5e8692200e281fe82411ab300bef449352212307b0234718190e3522d2f332, "
                    + "5310f062ad46e0fa713884832cc71b5ef3c583dbbfad7f0d606a68847f9cbc65660560358b5c7505a10b40a812449b19"
                    + "433705059f5f035bdc79d40a1de570a0142263c97325d6a9, "
                    + "887536c4241c3dbda097efb68baa9763246cec86e17c942ed90918c218be03e5",
            "HMAC_SHA384, 3d26daa761c8fd6db64f1523b8ce752ee4f9c5d0a577ad27cf6292aa313e53a7629e62301942315ee48a54aeffe0e7bc, "
                    + "c3fe36491a4e4d9f420147354408312c5858fef424478ce0807f87a662827e1209ec8356ac172a9a, "
                    + "1edeee310f24efb329e1499bfc1277c54feba14ce88d85b33b19cf8b56a96bdf75a9e3de768a21870f86b270777e8d00"
                    + "54b78ed36622e074f4e834ebd413eacaa48f34a6c34cf525, "
                    + "2aba84ddcb325044c15c2c26b98dfd9922cde046d6795e22e820a1fa15d4c361b9f46dd429884a852e31a95fe3cab588"})
    void authAndChildKeysMatchAnIndependentDerivation(Prf prf, String auth, String child, String pfs, String rekey) {
        IkeKeys keys = IkeKeys.derive(prf, IkeKeys.skeyseed(prf, NI, NR, GIR), NI, NR, SPI_I, SPI_R, 16);
        byte[] idi = {1, 0, 0, 0, 10, (byte) 213, 0, 1};

        byte[] mic = IkeKeys.pskAuth(prf, "secret".getBytes(StandardCharsets.US_ASCII),
                "message one".getBytes(StandardCharsets.US_ASCII), NR, keys.skPi(), idi);
        byte[][] childKeys = IkeKeys.childKeys(prf, keys.skD(), null, NI, NR, 20);
        byte[][] pfsKeys = IkeKeys.childKeys(prf, keys.skD(), GIR, NI, NR, 36);

        assertThat(mic).isEqualTo(hex(auth));
        assertThat(IkeCrypto.concat(childKeys[0], childKeys[1])).isEqualTo(hex(child));
        assertThat(IkeCrypto.concat(pfsKeys[0], pfsKeys[1])).isEqualTo(hex(pfs));
        assertThat(IkeKeys.rekeyedSkeyseed(prf, keys.skD(), GIR, NI, NR)).isEqualTo(hex(rekey));
    }

    @Test
    void skPayloadIsAesGcmWithTheHeaderAsAad() throws Exception {
        byte[] keyMaterial = IkeCrypto.concat(range(0, 16), hex("cafebabe"));
        IkeCodec.Writer inner = new IkeCodec.Writer().nonce(range(0, 16));
        byte[] iv = new byte[8];
        IkeCrypto.putLong(iv, 0, 7);

        byte[] msg = IkeCodec.encrypted(SPI_I, SPI_R, IkeCodec.INFORMATIONAL, IkeCodec.FLAG_INITIATOR, 5, inner,
                new IkeCrypto.Aead(keyMaterial), iv);

        assertThat(HexFormat.of().formatHex(msg)).isEqualTo("010203040506070811121314151617182e202508000000050000004d"
                + "28000031000000000000000728b266b09a2a76a9c8d9df8e46c52868fac9ba4a4f1e5915e8d915bb276318ead9640f8f56");
        List<IkeCodec.Payload> outer = IkeCodec.parsePayloads(IkeCodec.PT_SK, msg, 28, msg.length);
        List<IkeCodec.Payload> decrypted = IkeCodec.decrypt(msg, outer.getFirst(), new IkeCrypto.Aead(keyMaterial));
        assertThat(decrypted).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(IkeCodec.PT_NONCE);
            assertThat(p.body()).isEqualTo(range(0, 16));
        });
    }

    @Test
    void natDetectionHashIsSha1OfSpisAddressAndPort() {
        assertThat(IkeCrypto.natHash(SPI_I, SPI_R, new Endpoint(0x0ad50001, 500)))
                .isEqualTo(hex("469fc436dd4a5c392fe34e25605ef1e316dabe2f"));
    }

    @Test
    void x25519SharedSecretIsTheRfc7748Answer() throws Exception {
        var alice = KeyFactory.getInstance("XDH").generatePrivate(new PKCS8EncodedKeySpec(IkeCrypto.concat(
                hex("302e020100300506032b656e04220420"),
                hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))));

        byte[] secret = DhGroup.CURVE25519.secret(alice,
                hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));

        assertThat(secret).isEqualTo(hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
    }

    @Test
    void ecp256TakesXThenYAndGivesX() throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        var mine = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(
                new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16),
                params.getParameterSpec(ECParameterSpec.class)));

        byte[] secret = DhGroup.ECP256.secret(mine,
                hex("a17d7a9c3692db94349d4c47e2eadff7336c26ff3d17cd3cb489aed9e35ba8be"
                        + "a19710b054f03944ad23c71a648fb96920f9bb1494ed74b5232f215a88ec2afa"));

        assertThat(secret).isEqualTo(hex("fb503d802a4fcc984fdd2cfa0474741a70f6f5b322b7532addc21b986d897ad9"));
    }

    @Test
    void modp2048SecretIsPaddedToTheModulus() throws Exception {
        BigInteger p = modp();
        var mine = KeyFactory.getInstance("DH").generatePrivate(
                new DHPrivateKeySpec(new BigInteger("1234567890abcdef", 16), p, BigInteger.TWO));

        byte[] secret = DhGroup.MODP2048.secret(mine, hex(MODP_PEER));

        assertThat(secret).hasSize(256).isEqualTo(hex(MODP_SHARED));
    }

    private static BigInteger modp() {
        return new BigInteger(
                "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
                        + "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406"
                        + "B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24C"
                        + "F5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE"
                        + "3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051"
                        + "015728E5A8AACAA68FFFFFFFFFFFFFFFF",
                16);
    }

    private static final String MODP_PEER = "9858c77ff41429fe740579b4a0abdb8f0f6d2a313f8641a75a50b7e16e49e1684a5b9856"
            + "55061656c30aafdd257de8247c85f4cb186cf93721d663246fa6af433fa9ab9cf86d1308636adb7ea8305e3b99d8a7e6047b14e1"
            + "081ffbd9698244bc76d65ac1fd9cf003d511f8f85c529c01d13d14afb446f83e9fda44cb7b1187c9a409c3dcab3704f25d3c9282"
            + "f17ddd1795653bf7ff07f3cca8f1c3361bbddda6f4e58ba976b0a5e53c86660d479f869b2bf464651373d71eed515b165f900332"
            + "768e3c1dfe59c886418673fedad085f3d6c612197552ac096bd63a658a387f189799534e76f9cef4cb3a8c171acfbab64c0ee57a"
            + "5cd1e4b6a0fac84fb6e6663c";
    private static final String MODP_SHARED = "8879c6c2c804c65917f4f65890fa9159113562f9ea5612143216cb2d833dead33e296d"
            + "48780d7d94623d7cf7b5073d352ff7b7cc3d22845ba2b689bbd223a68cf734d13233fe0812bb2d41eef412c389e204fe7f5fe68c4a"
            + "91559d931015556c817afaa9759dfc4d94090eaf71012271765a4d3521c1a37399eaff96ccdafefa8d75a4ed1aa720161d8b14cd"
            + "b70c035da2a77919c7898a7e912138a3355f4af75282226f9164b503849d7f6fdc7cf0e35395d50b9419ec108196701a428c47f8"
            + "cf1cda27082aa78243f61ce96ffeecbc9d946e35b306a78684976d241bb7930bedf7a724145ea5b72b1dedf59fc547bffbc214c5"
            + "dcdc6e850bdc0365d52e3633";

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] filled(int value, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
