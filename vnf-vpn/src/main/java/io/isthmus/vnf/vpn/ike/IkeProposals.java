package io.isthmus.vnf.vpn.ike;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SA proposals (RFC 7296 §3.3): their model, strongSwan-style names, and selection. */
final class IkeProposals {

    static final int PROTOCOL_IKE = 1;
    static final int PROTOCOL_ESP = 3;

    static final int TYPE_ENCR = 1;
    static final int TYPE_PRF = 2;
    static final int TYPE_INTEG = 3;
    static final int TYPE_DH = 4;
    static final int TYPE_ESN = 5;

    static final int ENCR_AES_GCM_16 = 20;
    static final int PRF_HMAC_SHA2_256 = 5;
    static final int PRF_HMAC_SHA2_384 = 6;
    static final int PRF_HMAC_SHA2_512 = 7;
    static final int DH_MODP2048 = 14;
    static final int DH_ECP256 = 19;
    static final int DH_CURVE25519 = 31;

    private static final int[] TYPES = {TYPE_ENCR, TYPE_PRF, TYPE_INTEG, TYPE_DH, TYPE_ESN};

    /** One transform; {@code keyBits} 0 when it has no key length attribute. */
    record Transform(int type, int id, int keyBits) {
    }

    /** One proposal; {@code spi} is empty in IKE_SA_INIT, 4 bytes for ESP, 8 for an IKE rekey. */
    record Proposal(int number, int protocol, byte[] spi, List<Transform> transforms) {

        int first(int type) {
            for (Transform t : transforms) {
                if (t.type() == type) {
                    return t.id();
                }
            }
            return type == TYPE_DH || type == TYPE_ESN || type == TYPE_INTEG ? 0 : -1;
        }

        int keyBits() {
            for (Transform t : transforms) {
                if (t.type() == TYPE_ENCR) {
                    return t.keyBits();
                }
            }
            return 0;
        }

        Proposal with(int newNumber, byte[] newSpi) {
            return new Proposal(newNumber, protocol, newSpi, transforms);
        }

        Proposal withoutDh() {
            return new Proposal(number, protocol, spi,
                    transforms.stream().filter(t -> t.type() != TYPE_DH).toList());
        }

        String name() {
            StringBuilder b = new StringBuilder();
            for (Transform t : transforms) {
                if (!b.isEmpty()) {
                    b.append('-');
                }
                b.append(transformName(t));
            }
            return b.toString();
        }
    }

    private IkeProposals() {
    }

    static List<Proposal> parseAll(List<String> names, int protocol) {
        List<Proposal> result = new ArrayList<>(names.size());
        for (String name : names) {
            result.add(parse(name, protocol, result.size() + 1));
        }
        return result;
    }

    /** Parses {@code aes128gcm16-prfsha256-ecp256} (IKE) or {@code aes256gcm16-x25519-esn} (ESP). */
    static Proposal parse(String name, int protocol, int number) {
        List<Transform> transforms = new ArrayList<>();
        boolean prf = false;
        boolean esn = false;
        boolean encr = false;
        for (String token : name.toLowerCase(Locale.ROOT).split("-")) {
            Transform t = switch (token) {
                case "aes128gcm16", "aes128gcm128", "aes128gcm" -> new Transform(TYPE_ENCR, ENCR_AES_GCM_16, 128);
                case "aes192gcm16", "aes192gcm128", "aes192gcm" -> new Transform(TYPE_ENCR, ENCR_AES_GCM_16, 192);
                case "aes256gcm16", "aes256gcm128", "aes256gcm" -> new Transform(TYPE_ENCR, ENCR_AES_GCM_16, 256);
                case "prfsha256" -> new Transform(TYPE_PRF, PRF_HMAC_SHA2_256, 0);
                case "prfsha384" -> new Transform(TYPE_PRF, PRF_HMAC_SHA2_384, 0);
                case "prfsha512" -> new Transform(TYPE_PRF, PRF_HMAC_SHA2_512, 0);
                case "modp2048" -> new Transform(TYPE_DH, DH_MODP2048, 0);
                case "ecp256" -> new Transform(TYPE_DH, DH_ECP256, 0);
                case "x25519", "curve25519" -> new Transform(TYPE_DH, DH_CURVE25519, 0);
                case "esn" -> new Transform(TYPE_ESN, 1, 0);
                case "noesn" -> new Transform(TYPE_ESN, 0, 0);
                default -> throw new IllegalArgumentException("unsupported algorithm '" + token + "' in " + name);
            };
            if (protocol == PROTOCOL_ESP && t.type() == TYPE_PRF || protocol == PROTOCOL_IKE && t.type() == TYPE_ESN) {
                throw new IllegalArgumentException("'" + token + "' does not belong in " + name);
            }
            prf |= t.type() == TYPE_PRF;
            esn |= t.type() == TYPE_ESN;
            encr |= t.type() == TYPE_ENCR;
            transforms.add(t);
        }
        if (!encr) {
            throw new IllegalArgumentException("no encryption algorithm in " + name);
        }
        if (protocol == PROTOCOL_IKE && !prf) {
            transforms.add(new Transform(TYPE_PRF, PRF_HMAC_SHA2_256, 0));
        }
        if (protocol == PROTOCOL_IKE && transforms.stream().noneMatch(t -> t.type() == TYPE_DH)) {
            throw new IllegalArgumentException("no key exchange group in " + name);
        }
        if (protocol == PROTOCOL_ESP && !esn) {
            transforms.add(new Transform(TYPE_ESN, 0, 0));
        }
        return new Proposal(number, protocol, new byte[0], List.copyOf(transforms));
    }

    /**
     * The first of our proposals (in our order of preference) that one of the peer's matches: one transform of each
     * type, numbered and with the SPI of the peer's proposal. {@code requiredDh} ≥ 0 accepts only a match with that
     * group; {@code ignoreDh} leaves groups out (IKE_AUTH).
     */
    static Proposal select(List<Proposal> offered, List<Proposal> ours, int requiredDh, boolean ignoreDh) {
        for (Proposal mine : ours) {
            for (Proposal theirs : offered) {
                if (theirs.protocol() != mine.protocol()) {
                    continue;
                }
                List<Transform> chosen = match(theirs, mine, ignoreDh);
                if (chosen == null) {
                    continue;
                }
                Proposal result = new Proposal(theirs.number(), theirs.protocol(), theirs.spi(), chosen);
                if (requiredDh >= 0 && result.first(TYPE_DH) != requiredDh) {
                    continue;
                }
                return result;
            }
        }
        return null;
    }

    private static List<Transform> match(Proposal theirs, Proposal mine, boolean ignoreDh) {
        List<Transform> chosen = new ArrayList<>(4);
        for (int type : TYPES) {
            if (type == TYPE_DH && ignoreDh) {
                continue;
            }
            List<Transform> a = ofType(mine, type);
            List<Transform> b = ofType(theirs, type);
            if (a.isEmpty() && b.isEmpty()) {
                continue;
            }
            Transform found = null;
            for (Transform t : a) {
                if (b.contains(t)) {
                    found = t;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            if (found.id() != 0 || type == TYPE_ESN) {
                chosen.add(found);
            }
        }
        return chosen;
    }

    private static List<Transform> ofType(Proposal p, int type) {
        List<Transform> result = new ArrayList<>(2);
        for (Transform t : p.transforms()) {
            if (t.type() == type) {
                result.add(t);
            }
        }
        if (result.isEmpty() && (type == TYPE_DH || type == TYPE_INTEG
                || type == TYPE_ESN && p.protocol() == PROTOCOL_ESP)) {
            result.add(new Transform(type, 0, 0)); // absent = NONE
        }
        return result;
    }

    static String transformName(Transform t) {
        return switch (t.type()) {
            case TYPE_ENCR -> t.id() == ENCR_AES_GCM_16 ? "aes" + t.keyBits() + "gcm16" : "encr" + t.id();
            case TYPE_PRF -> switch (t.id()) {
                case PRF_HMAC_SHA2_256 -> "prfsha256";
                case PRF_HMAC_SHA2_384 -> "prfsha384";
                case PRF_HMAC_SHA2_512 -> "prfsha512";
                default -> "prf" + t.id();
            };
            case TYPE_DH -> switch (t.id()) {
                case DH_MODP2048 -> "modp2048";
                case DH_ECP256 -> "ecp256";
                case DH_CURVE25519 -> "x25519";
                default -> "dh" + t.id();
            };
            case TYPE_ESN -> t.id() == 1 ? "esn" : "noesn";
            default -> "integ" + t.id();
        };
    }
}
