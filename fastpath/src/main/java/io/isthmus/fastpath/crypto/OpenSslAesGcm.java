package io.isthmus.fastpath.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AES-GCM through OpenSSL's libcrypto (EVP, 1.1 or 3.x) and the FFM API. A context is an {@code EVP_CIPHER_CTX} keyed
 * once ({@code EVP_aes_{128,192,256}_gcm}); per packet: {@code EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, -1)},
 * the AAD and the data through {@code EVP_CipherUpdate}, {@code EVP_CipherFinal_ex} and the tag through
 * {@code EVP_CIPHER_CTX_ctrl}. Pointers go down as addresses ({@code long}) into this instance's native scratch, and
 * the calls are critical (no thread-state change): nothing is allocated per packet. The packet is copied into the
 * scratch, sealed or opened there in place, and copied back, so it may live in a heap or a direct buffer.
 */
final class OpenSslAesGcm extends AesGcm {

    private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int EVP_CTRL_GCM_SET_TAG = 0x11;
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final String UNAVAILABLE;
    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle AES_128_GCM;
    private static final MethodHandle AES_192_GCM;
    private static final MethodHandle AES_256_GCM;
    private static final MethodHandle CIPHER_INIT;
    private static final MethodHandle CIPHER_UPDATE;
    private static final MethodHandle CIPHER_FINAL;
    private static final MethodHandle CTX_CTRL;

    static {
        String unavailable = null;
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle aes128 = null;
        MethodHandle aes192 = null;
        MethodHandle aes256 = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MethodHandle ctrl = null;
        try {
            SymbolLookup libcrypto = load();
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(false);
            ctxNew = linker.downcallHandle(find(libcrypto, "EVP_CIPHER_CTX_new"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG));
            ctxFree = linker.downcallHandle(find(libcrypto, "EVP_CIPHER_CTX_free"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            aes128 = linker.downcallHandle(find(libcrypto, "EVP_aes_128_gcm"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG));
            aes192 = linker.downcallHandle(find(libcrypto, "EVP_aes_192_gcm"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG));
            aes256 = linker.downcallHandle(find(libcrypto, "EVP_aes_256_gcm"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG));
            // int EVP_CipherInit_ex(ctx, const EVP_CIPHER *, ENGINE *, const unsigned char *key, *iv, int enc)
            init = linker.downcallHandle(find(libcrypto, "EVP_CipherInit_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                    critical);
            // int EVP_CipherUpdate(ctx, unsigned char *out, int *outl, const unsigned char *in, int inl)
            update = linker.downcallHandle(find(libcrypto, "EVP_CipherUpdate"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                    critical);
            // int EVP_CipherFinal_ex(ctx, unsigned char *out, int *outl)
            fin = linker.downcallHandle(find(libcrypto, "EVP_CipherFinal_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG),
                    critical);
            // int EVP_CIPHER_CTX_ctrl(ctx, int type, int arg, void *ptr)
            ctrl = linker.downcallHandle(find(libcrypto, "EVP_CIPHER_CTX_ctrl"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    critical);
            if (!selfTest(ctxNew, ctxFree, aes128, init, update, fin, ctrl)) {
                unavailable = "libcrypto's AES-128-GCM failed its known-answer test";
            }
        } catch (Throwable e) {
            unavailable = e.toString();
        }
        UNAVAILABLE = unavailable;
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        AES_128_GCM = aes128;
        AES_192_GCM = aes192;
        AES_256_GCM = aes256;
        CIPHER_INIT = init;
        CIPHER_UPDATE = update;
        CIPHER_FINAL = fin;
        CTX_CTRL = ctrl;
    }

    private static SymbolLookup load() {
        IllegalArgumentException first = null;
        for (String name : new String[]{"libcrypto.so.3", "/lib/x86_64-linux-gnu/libcrypto.so.3", "libcrypto.so.1.1",
                "libcrypto.so"}) {
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libcrypto has no " + name));
    }

    /** Test case 2 of the GCM specification (zero key, zero IV, one zero block), through the handles just made. */
    private static boolean selfTest(MethodHandle ctxNew, MethodHandle ctxFree, MethodHandle aes128,
            MethodHandle init, MethodHandle update, MethodHandle fin, MethodHandle ctrl) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(128, 16);
            long base = memory.address();
            long ctx = (long) ctxNew.invokeExact();
            if (ctx == 0) {
                return false;
            }
            try {
                // key at 0 (16 zero bytes), IV at 16 (12 zero bytes), data at 32, tag at 48, outl at 64
                if ((int) init.invokeExact(ctx, (long) aes128.invokeExact(), 0L, base, base + 16, 1) != 1
                        || (int) update.invokeExact(ctx, base + 32, base + 64, base + 32, 16) != 1
                        || (int) fin.invokeExact(ctx, base + 48, base + 64) != 1
                        || (int) ctrl.invokeExact(ctx, EVP_CTRL_GCM_GET_TAG, 16, base + 48) != 1) {
                    return false;
                }
            } finally {
                ctxFree.invokeExact(ctx);
            }
            return memory.get(LONG_BE, 32) == 0x0388dace60b6a392L && memory.get(LONG_BE, 40) == 0xf328c2b971b2fe78L
                    && memory.get(LONG_BE, 48) == 0xab6e47d42cec13bdL && memory.get(LONG_BE, 56) == 0xf53a67b21257bddfL;
        }
    }

    /** Whether libcrypto loaded and passed its self-test. */
    static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    /** Why it did not, or null. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    // the scratch: nonce at 0 (12), outl at 12 (4), AAD at 16 (up to 64), key at 80 (32, only while keying), data
    private static final int NONCE = 0;
    private static final int OUT_LENGTH = 12;
    private static final int AAD = 16;
    private static final int KEY = 80;
    private static final int DATA = 128;
    private static final int SCRATCH_LENGTH = DATA + 0xFFFF + TAG_LENGTH;

    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, 64);
    private final ByteBuffer scratchBuffer = scratch.asByteBuffer();
    private final long base = scratch.address();

    OpenSslAesGcm() {
    }

    @Override
    public String name() {
        return "openssl";
    }

    @Override
    public Context context(byte[] key, int keyOffset, int keyLength, int salt, boolean encrypt) {
        try {
            long cipher = switch (keyLength) {
                case 16 -> (long) AES_128_GCM.invokeExact();
                case 24 -> (long) AES_192_GCM.invokeExact();
                case 32 -> (long) AES_256_GCM.invokeExact();
                default -> throw new IllegalArgumentException("AES keys are 16, 24 or 32 bytes: " + keyLength);
            };
            long ctx = (long) CTX_NEW.invokeExact();
            if (ctx == 0) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
            }
            MemorySegment.copy(key, keyOffset, scratch, ValueLayout.JAVA_BYTE, KEY, keyLength);
            int keyed = (int) CIPHER_INIT.invokeExact(ctx, cipher, 0L, base + KEY, 0L, encrypt ? 1 : 0);
            scratch.asSlice(KEY, 32).fill((byte) 0);
            if (keyed != 1) {
                CTX_FREE.invokeExact(ctx);
                throw new IllegalStateException("EVP_CipherInit_ex failed to key AES-GCM");
            }
            return new NativeContext(ctx, salt, encrypt);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private final class NativeContext extends Context {

        private long ctx;
        private final int salt;
        private final int enc;

        NativeContext(long ctx, int salt, boolean encrypt) {
            this.ctx = ctx;
            this.salt = salt;
            this.enc = encrypt ? 1 : 0;
        }

        @Override
        public void seal(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] aad) {
            MemorySegment.copy(aad, 0, scratch, ValueLayout.JAVA_BYTE, AAD, aad.length);
            sealInScratch(buffer, source, length, destination, iv, aad.length);
        }

        @Override
        public boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] aad) {
            MemorySegment.copy(aad, 0, scratch, ValueLayout.JAVA_BYTE, AAD, aad.length);
            return openInScratch(buffer, source, length, destination, iv, aad.length);
        }

        @Override
        public void seal(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0, int aad1,
                int aad2, int aadLength) {
            aad(aad0, aad1, aad2);
            sealInScratch(buffer, source, length, destination, iv, aadLength);
        }

        private void sealInScratch(ByteBuffer buffer, int source, int length, int destination, long iv,
                int aadLength) {
            scratchBuffer.put(DATA, buffer, source, length);
            nonce(iv);
            long data = base + DATA;
            try {
                if ((int) CIPHER_INIT.invokeExact(ctx, 0L, 0L, 0L, base + NONCE, enc) != 1
                        || (int) CIPHER_UPDATE.invokeExact(ctx, 0L, base + OUT_LENGTH, base + AAD, aadLength) != 1
                        || (int) CIPHER_UPDATE.invokeExact(ctx, data, base + OUT_LENGTH, data, length) != 1
                        || (int) CIPHER_FINAL.invokeExact(ctx, data + length, base + OUT_LENGTH) != 1
                        || (int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LENGTH, data + length) != 1) {
                    throw new IllegalStateException("libcrypto failed to seal");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            buffer.put(destination, scratchBuffer, DATA, length + TAG_LENGTH);
        }

        @Override
        public boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0, int aad1,
                int aad2, int aadLength) {
            aad(aad0, aad1, aad2);
            return openInScratch(buffer, source, length, destination, iv, aadLength);
        }

        private boolean openInScratch(ByteBuffer buffer, int source, int length, int destination, long iv,
                int aadLength) {
            scratchBuffer.put(DATA, buffer, source, length + TAG_LENGTH);
            nonce(iv);
            long data = base + DATA;
            boolean verified;
            try {
                if ((int) CIPHER_INIT.invokeExact(ctx, 0L, 0L, 0L, base + NONCE, enc) != 1
                        || (int) CTX_CTRL.invokeExact(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LENGTH, data + length) != 1
                        || (int) CIPHER_UPDATE.invokeExact(ctx, 0L, base + OUT_LENGTH, base + AAD, aadLength) != 1
                        || (int) CIPHER_UPDATE.invokeExact(ctx, data, base + OUT_LENGTH, data, length) != 1) {
                    throw new IllegalStateException("libcrypto failed to open");
                }
                verified = (int) CIPHER_FINAL.invokeExact(ctx, data + length, base + OUT_LENGTH) > 0;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (verified) {
                buffer.put(destination, scratchBuffer, DATA, length);
            }
            return verified;
        }

        private void nonce(long iv) {
            scratch.set(INT_BE, NONCE, salt);
            scratch.set(LONG_BE, NONCE + 4, iv);
        }

        private void aad(int aad0, int aad1, int aad2) {
            scratch.set(INT_BE, AAD, aad0);
            scratch.set(INT_BE, AAD + 4, aad1);
            scratch.set(INT_BE, AAD + 8, aad2);
        }

        @Override
        public void close() {
            if (ctx != 0) {
                try {
                    CTX_FREE.invokeExact(ctx);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                ctx = 0;
            }
        }
    }
}
