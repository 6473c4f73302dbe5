package io.isthmus.vnf.vpn.ike;

import io.isthmus.vnf.vpn.ike.IkeCrypto.Prf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The IKE SA's keys (RFC 7296 §2.14) with an AEAD cipher: SK_d | SK_ei | SK_er | SK_pi | SK_pr (no SK_a), each SK_e
 * the AES key followed by the 4-byte salt. Never printed.
 */
record IkeKeys(byte[] skD, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {

    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    /** SKEYSEED of a new IKE SA: prf(Ni | Nr, g^ir). */
    static byte[] skeyseed(Prf prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        return prf.apply(IkeCrypto.concat(ni, nr), sharedSecret);
    }

    /** SKEYSEED of a rekeyed IKE SA: prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF (§2.18). */
    static byte[] rekeyedSkeyseed(Prf oldPrf, byte[] oldSkD, byte[] sharedSecret, byte[] ni, byte[] nr) {
        return oldPrf.apply(oldSkD, sharedSecret, ni, nr);
    }

    /** {SK_d, SK_ei, SK_er, SK_pi, SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). */
    static IkeKeys derive(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR, int encrKeyBytes) {
        byte[] spis = new byte[16];
        IkeCrypto.putLong(spis, 0, spiI);
        IkeCrypto.putLong(spis, 8, spiR);
        int e = encrKeyBytes + 4;
        int p = prf.length;
        byte[] km = prf.plus(skeyseed, IkeCrypto.concat(ni, nr, spis), 3 * p + 2 * e);
        return new IkeKeys(Arrays.copyOfRange(km, 0, p), Arrays.copyOfRange(km, p, p + e),
                Arrays.copyOfRange(km, p + e, p + 2 * e), Arrays.copyOfRange(km, p + 2 * e, 2 * p + 2 * e),
                Arrays.copyOfRange(km, 2 * p + 2 * e, 3 * p + 2 * e));
    }

    /**
     * AUTH with a shared key: prf(prf(PSK, "Key Pad for IKEv2"), message | nonce | prf(SK_p, ID')), where message is
     * the signer's IKE_SA_INIT message, nonce the other side's and ID' the signer's ID payload body (§2.15).
     */
    static byte[] pskAuth(Prf prf, byte[] psk, byte[] initMessage, byte[] peerNonce, byte[] skP, byte[] idBody) {
        return prf.apply(prf.apply(psk, KEY_PAD), initMessage, peerNonce, prf.apply(skP, idBody));
    }

    /**
     * KEYMAT of a CHILD_SA pair = prf+(SK_d, [g^ir (new) |] Ni | Nr): the initiator→responder key (and salt) first, then
     * responder→initiator (§2.17); returned as {iToR, rToI}.
     */
    static byte[][] childKeys(Prf prf, byte[] skD, byte[] sharedSecret, byte[] ni, byte[] nr, int keyMaterialBytes) {
        byte[] seed = sharedSecret == null ? IkeCrypto.concat(ni, nr) : IkeCrypto.concat(sharedSecret, ni, nr);
        byte[] km = prf.plus(skD, seed, 2 * keyMaterialBytes);
        return new byte[][]{Arrays.copyOfRange(km, 0, keyMaterialBytes),
                Arrays.copyOfRange(km, keyMaterialBytes, 2 * keyMaterialBytes)};
    }

    @Override
    public String toString() {
        return "IkeKeys[<hidden>]";
    }
}
