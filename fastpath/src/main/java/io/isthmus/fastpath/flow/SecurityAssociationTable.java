package io.isthmus.fastpath.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

/**
 * ESP security associations by index, for ESP_ENCRYPT and ESP_DECRYPT: AES-GCM with a 16-byte ICV (RFC 4106), 32-bit
 * sequence numbers (no ESN), tunnel mode. The keying material of an SA is the AES key followed by the 4-byte salt
 * (RFC 4106 §8.1: 20, 28 or 36 bytes).
 * <p>
 * Outbound SAs may be shared by the workers of a process: the sequence number is taken with an atomic add, and it is
 * also the explicit IV, so no two packets of an SA share a nonce whichever worker sends them. Inbound SAs keep an
 * anti-replay window of 64 (RFC 4303 §3.4.3) that is not synchronised: an inbound SA belongs to one worker, as all its
 * packets share an outer flow key and so a worker. Installing and removing SAs is control-path work (it allocates the
 * key object); nothing here allocates per packet.
 */
public final class SecurityAssociationTable {

    /** The most sequence numbers an SA may use: 2^32 - 1 (RFC 4303 §3.3.3: no cycling without ESN; rekey instead). */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;
    public static final int REPLAY_WINDOW = 64;

    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

    private static final byte UNUSED = 0;
    private static final byte OUTBOUND = 1;
    private static final byte INBOUND = 2;

    private final byte[] directions;
    private final int[] spis;
    private final SecretKeySpec[] keys;
    private final int[] salts;
    private final int[] tunnelSources;
    private final int[] tunnelDestinations;
    private final long[] sequences;
    private final long[] replayTops;
    private final long[] replayBitmaps;

    public SecurityAssociationTable(int capacity) {
        directions = new byte[capacity];
        spis = new int[capacity];
        keys = new SecretKeySpec[capacity];
        salts = new int[capacity];
        tunnelSources = new int[capacity];
        tunnelDestinations = new int[capacity];
        sequences = new long[capacity];
        replayTops = new long[capacity];
        replayBitmaps = new long[capacity];
    }

    /**
     * Installs (or replaces, resetting the sequence number) an outbound SA: packets encrypted with it leave in an outer
     * IPv4 header from {@code tunnelSource} to {@code tunnelDestination}.
     */
    public void installOutbound(int index, int spi, byte[] keyMaterial, int tunnelSource, int tunnelDestination) {
        install(index, OUTBOUND, spi, keyMaterial);
        tunnelSources[index] = tunnelSource;
        tunnelDestinations[index] = tunnelDestination;
    }

    /** Installs (or replaces, resetting the replay window) an inbound SA. */
    public void installInbound(int index, int spi, byte[] keyMaterial) {
        install(index, INBOUND, spi, keyMaterial);
    }

    private void install(int index, byte direction, int spi, byte[] keyMaterial) {
        int keyLength = keyMaterial.length - 4;
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("AES-GCM keying material is 20, 28 or 36 bytes: " + keyMaterial.length);
        }
        if (spi >= 0 && spi < 256) {
            throw new IllegalArgumentException("SPIs 0..255 are reserved (RFC 4303 §2.1): " + spi);
        }
        directions[index] = UNUSED;
        spis[index] = spi;
        keys[index] = new SecretKeySpec(keyMaterial, 0, keyLength, "AES");
        salts[index] = ((keyMaterial[keyLength] & 0xFF) << 24) | ((keyMaterial[keyLength + 1] & 0xFF) << 16)
                | ((keyMaterial[keyLength + 2] & 0xFF) << 8) | (keyMaterial[keyLength + 3] & 0xFF);
        SEQUENCES.setVolatile(sequences, index, 0L);
        replayTops[index] = 0;
        replayBitmaps[index] = 0;
        directions[index] = direction;
    }

    public void remove(int index) {
        directions[index] = UNUSED;
        keys[index] = null;
    }

    public void clear() {
        Arrays.fill(directions, UNUSED);
        Arrays.fill(keys, null);
    }

    public int capacity() {
        return directions.length;
    }

    public boolean isOutbound(int index) {
        return index >= 0 && index < directions.length && directions[index] == OUTBOUND;
    }

    public boolean isInbound(int index) {
        return index >= 0 && index < directions.length && directions[index] == INBOUND;
    }

    public int spi(int index) {
        return spis[index];
    }

    SecretKeySpec key(int index) {
        return keys[index];
    }

    int salt(int index) {
        return salts[index];
    }

    public int tunnelSource(int index) {
        return tunnelSources[index];
    }

    public int tunnelDestination(int index) {
        return tunnelDestinations[index];
    }

    /** Takes the next outbound sequence number (1, 2, ...); above {@link #MAX_SEQUENCE} the SA is exhausted. */
    long nextSequence(int index) {
        return (long) SEQUENCES.getAndAdd(sequences, index, 1L) + 1;
    }

    /** The last sequence number taken. */
    public long sequence(int index) {
        return (long) SEQUENCES.getVolatile(sequences, index);
    }

    /** Whether an inbound {@code sequence} is new to the window (checked before, and again after, authentication). */
    boolean replayCheck(int index, long sequence) {
        if (sequence == 0) {
            return false;
        }
        long top = replayTops[index];
        if (sequence > top) {
            return true;
        }
        long behind = top - sequence;
        return behind < REPLAY_WINDOW && (replayBitmaps[index] & (1L << behind)) == 0;
    }

    /** Records an authenticated inbound {@code sequence}. */
    void replayAccept(int index, long sequence) {
        long top = replayTops[index];
        if (sequence > top) {
            long shift = sequence - top;
            replayBitmaps[index] = shift >= REPLAY_WINDOW ? 1L : (replayBitmaps[index] << shift) | 1L;
            replayTops[index] = sequence;
        } else {
            replayBitmaps[index] |= 1L << (top - sequence);
        }
    }
}
