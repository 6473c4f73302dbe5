#!/usr/bin/env python3
"""Independent known-answer values for IkeKatTest (RFC 7296 §2.13-2.17, RFC 5282), from Python's hmac/hashlib and
the `cryptography` package; run it to regenerate the constants pasted into the test."""
import hashlib, hmac, struct
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def prf(h, k, d): return hmac.new(k, d, h).digest()
def prfplus(h, k, s, n):
    out, t, i = b'', b'', 1
    while len(out) < n:
        t = prf(h, k, t + s + bytes([i])); out += t; i += 1
    return out[:n]

for name, h in (("SHA256", hashlib.sha256), ("SHA384", hashlib.sha384), ("SHA512", hashlib.sha512)):
    ni = bytes(range(32)); nr = bytes(range(32, 64)); gir = b'\xaa' * 32
    spii, spir = 0x0102030405060708, 0x1112131415161718
    L = hashlib.new(h().name).digest_size
    e = 16 + 4
    skeyseed = prf(h, ni + nr, gir)
    km = prfplus(h, skeyseed, ni + nr + struct.pack('>QQ', spii, spir), 3 * L + 2 * e)
    skd, skei, sker, skpi, skpr = km[:L], km[L:L+e], km[L+e:L+2*e], km[L+2*e:2*L+2*e], km[2*L+2*e:]
    idi = bytes([1, 0, 0, 0, 10, 213, 0, 1])
    auth = prf(h, prf(h, b'secret', b'Key Pad for IKEv2'), b'message one' + nr + prf(h, skpi, idi))
    child = prfplus(h, skd, ni + nr, 2 * 20)
    pfs = prfplus(h, skd, gir + ni + nr, 2 * 36)
    rekeyseed = prf(h, skd, gir + ni + nr)
    print(name, "skeyseed", skeyseed.hex())
    print(name, "skd", skd.hex()); print(name, "skei", skei.hex()); print(name, "sker", sker.hex())
    print(name, "skpi", skpi.hex()); print(name, "skpr", skpr.hex())
    print(name, "auth", auth.hex()); print(name, "child", child.hex()); print(name, "pfs256", pfs.hex())
    print(name, "rekeyseed", rekeyseed.hex())

# SK payload: header(28) | SK generic header(4) | IV(8) | AES-GCM(inner | pad length 0) | ICV(16)
key = bytes(range(16)); salt = bytes([0xca, 0xfe, 0xba, 0xbe]); iv = struct.pack('>Q', 7)
inner = bytes([0, 0, 0, 20]) + bytes(range(16))              # a Nonce payload of 16 bytes, last
plain = inner + b'\x00'
sklen = 4 + 8 + len(plain) + 16
hdr = struct.pack('>QQBBBBII', 0x0102030405060708, 0x1112131415161718, 46, 0x20, 37, 0x08, 5, 28 + sklen)
skh = bytes([40, 0]) + struct.pack('>H', sklen)
ct = AESGCM(key).encrypt(salt + iv, plain, hdr + skh)
print("SK message", (hdr + skh + iv + ct).hex())
# NAT_DETECTION hash for SPIs above and 10.213.0.1:500
print("natHash", hashlib.sha1(struct.pack('>QQ', 0x0102030405060708, 0x1112131415161718) + bytes([10, 213, 0, 1]) + struct.pack('>H', 500)).hexdigest())

# DH: our public value encodings and g^ir for fixed private values
from cryptography.hazmat.primitives.asymmetric import ec
a = ec.derive_private_key(0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef, ec.SECP256R1())
b = ec.derive_private_key(0x0fedcba9876543210fedcba9876543210fedcba9876543210fedcba98765432, ec.SECP256R1())
bn = b.public_key().public_numbers()
print("ecp256 peer x|y", (bn.x.to_bytes(32, 'big') + bn.y.to_bytes(32, 'big')).hex())
print("ecp256 shared", a.exchange(ec.ECDH(), b.public_key()).hex())
p = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)
x, y = 0x1234567890abcdef, 0xfedcba0987654321
print("modp2048 peer", pow(2, y, p).to_bytes(256, 'big').hex())
print("modp2048 shared", pow(pow(2, y, p), x, p).to_bytes(256, 'big').hex())
