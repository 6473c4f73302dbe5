package io.isthmus.fastpath.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM through javax.crypto, the fallback when libcrypto does not load: one {@link Cipher} per context, but
 * javax.crypto cannot take a new nonce without a new {@link GCMParameterSpec} and {@code Cipher.init}, which allocate a
 * little per packet, and a failed tag costs an {@link AEADBadTagException}.
 */
final class JdkAesGcm extends AesGcm {

    private static final int MAX_DATA = 0xFFFF + TAG_LENGTH;
    private final byte[] in = new byte[MAX_DATA];
    private final byte[] out = new byte[MAX_DATA];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[MAX_AAD_LENGTH];

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public Context context(byte[] key, int keyOffset, int keyLength, int salt, boolean encrypt) {
        return new JdkContext(new SecretKeySpec(key, keyOffset, keyLength, "AES"), salt, encrypt);
    }

    private final class JdkContext extends Context {

        private final Cipher cipher;
        private SecretKeySpec key;
        private final int salt;
        private final int mode;

        JdkContext(SecretKeySpec key, int salt, boolean encrypt) {
            this.key = key;
            this.salt = salt;
            this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
            }
        }

        @Override
        public void seal(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0, int aad1,
                int aad2, int aadLength) {
            buffer.get(source, in, 0, length);
            try {
                init(iv, aad0, aad1, aad2, aadLength);
                int sealed = cipher.doFinal(in, 0, length, out, 0);
                buffer.put(destination, out, 0, sealed);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
        }

        @Override
        public boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0, int aad1,
                int aad2, int aadLength) {
            buffer.get(source, in, 0, length + TAG_LENGTH);
            try {
                init(iv, aad0, aad1, aad2, aadLength);
                int opened = cipher.doFinal(in, 0, length + TAG_LENGTH, out, 0);
                buffer.put(destination, out, 0, opened);
                return true;
            } catch (AEADBadTagException e) {
                return false;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
        }

        @Override
        public void seal(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] anyAad) {
            System.arraycopy(anyAad, 0, aad, 0, anyAad.length);
            sealOrOpen(true, buffer, source, length, destination, iv, anyAad.length);
        }

        @Override
        public boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] anyAad) {
            System.arraycopy(anyAad, 0, aad, 0, anyAad.length);
            return sealOrOpen(false, buffer, source, length, destination, iv, anyAad.length);
        }

        private boolean sealOrOpen(boolean seal, ByteBuffer buffer, int source, int length, int destination, long iv,
                int aadLength) {
            int inLength = seal ? length : length + TAG_LENGTH;
            buffer.get(source, in, 0, inLength);
            try {
                initNonce(iv);
                cipher.updateAAD(aad, 0, aadLength);
                int done = cipher.doFinal(in, 0, inLength, out, 0);
                buffer.put(destination, out, 0, done);
                return true;
            } catch (AEADBadTagException e) {
                return false;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
        }

        private void init(long iv, int aad0, int aad1, int aad2, int aadLength) throws GeneralSecurityException {
            initNonce(iv);
            putInt(aad, 0, aad0);
            putInt(aad, 4, aad1);
            putInt(aad, 8, aad2);
            cipher.updateAAD(aad, 0, aadLength);
        }

        private void initNonce(long iv) throws GeneralSecurityException {
            putInt(nonce, 0, salt);
            putInt(nonce, 4, (int) (iv >>> 32));
            putInt(nonce, 8, (int) iv);
            cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        }

        @Override
        public void close() {
            key = null;
            Arrays.fill(nonce, (byte) 0);
        }
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }
}
