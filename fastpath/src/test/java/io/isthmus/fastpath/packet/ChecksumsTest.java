package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class ChecksumsTest {

    private final SplittableRandom random = new SplittableRandom(1624);

    @Test
    void fullChecksumMatchesTheReferenceForAnyLengthAndOffset() {
        for (int round = 0; round < 2_000; round++) {
            // Given random bytes at a random offset, odd and even lengths
            int length = random.nextInt(0, 200);
            int offset = random.nextInt(0, 8);
            byte[] data = new byte[offset + length + 8];
            random.nextBytes(data);

            // When both compute the checksum of the range
            long sum = Checksums.sum(ByteBuffer.wrap(data), offset, length);
            int computed = ~Checksums.fold(sum) & 0xFFFF;

            // Then they agree
            assertThat(computed).isEqualTo(ReferencePackets.internetChecksum(data, offset, length));
        }
    }

    @Test
    void incrementalUpdateOf16BitWordsEqualsFullRecomputation() {
        for (int round = 0; round < 20_000; round++) {
            // Given a random IPv4-sized header with a correct checksum
            byte[] header = randomHeader();
            int checksum = ReferencePackets.internetChecksum(header, 0, header.length);
            ReferencePackets.put16(header, 10, checksum);

            // When one word (not the checksum) changes and the checksum is updated incrementally
            int word = pickWordOtherThanChecksum();
            int oldValue = ReferencePackets.u16(header, word);
            int newValue = round % 10 == 0 ? edgeValue() : random.nextInt(0x10000);
            ReferencePackets.put16(header, word, newValue);
            int incremental = Checksums.update16(checksum, oldValue, newValue);

            // Then it equals the checksum recomputed from scratch
            assertThat(incremental).isEqualTo(recompute(header));
        }
    }

    @Test
    void incrementalUpdateOf32BitAddressesEqualsFullRecomputation() {
        for (int round = 0; round < 20_000; round++) {
            // Given a random header with a correct checksum
            byte[] header = randomHeader();
            ReferencePackets.put16(header, 10, ReferencePackets.internetChecksum(header, 0, header.length));
            int checksum = ReferencePackets.u16(header, 10);

            // When the source or destination address is rewritten
            int field = random.nextBoolean() ? 12 : 16;
            int oldAddress = ReferencePackets.u32(header, field);
            int newAddress = round % 10 == 0 ? (edgeValue() << 16) | edgeValue() : random.nextInt();
            ReferencePackets.put32(header, field, newAddress);
            int incremental = Checksums.update32(checksum, oldAddress, newAddress);

            // Then the incremental checksum equals full recomputation
            assertThat(incremental).isEqualTo(recompute(header));
        }
    }

    @Test
    void incrementalUpdateReachingAChecksumOfZeroEqualsFullRecomputation() {
        for (int round = 0; round < 5_000; round++) {
            // Given a random header with a correct checksum
            byte[] header = randomHeader();
            int checksum = ReferencePackets.internetChecksum(header, 0, header.length);
            ReferencePackets.put16(header, 10, checksum);

            // When a word is rewritten so that the data sums to 0xFFFF (a "negative zero": checksum 0x0000)
            int word = pickWordOtherThanChecksum();
            int oldValue = ReferencePackets.u16(header, word);
            int sum = ~checksum & 0xFFFF;
            int newValue = Math.floorMod(oldValue - sum, 0xFFFF);
            newValue = newValue == 0 && random.nextBoolean() ? 0xFFFF : newValue;
            ReferencePackets.put16(header, word, newValue);
            int incremental = Checksums.update16(checksum, oldValue, newValue);

            // Then both give 0x0000
            assertThat(recompute(header)).isZero();
            assertThat(incremental).isZero();
        }
    }

    @Test
    void aChainOfRewritesStaysEqualToFullRecomputation() {
        // Given a header with a correct checksum
        byte[] header = randomHeader();
        int checksum = ReferencePackets.internetChecksum(header, 0, header.length);
        ReferencePackets.put16(header, 10, checksum);

        for (int round = 0; round < 10_000; round++) {
            // When rewrite after rewrite is applied incrementally on top of the previous result
            int field = random.nextBoolean() ? 12 : 16;
            int oldAddress = ReferencePackets.u32(header, field);
            int newAddress = random.nextInt();
            ReferencePackets.put32(header, field, newAddress);
            checksum = Checksums.update32(checksum, oldAddress, newAddress);
            ReferencePackets.put16(header, 10, checksum);

            // Then no error accumulates
            assertThat(checksum).isEqualTo(recompute(header));
        }
    }

    @Test
    void ipv4HeaderChecksumIgnoresTheStoredChecksum() {
        // Given a reference header whose stored checksum is wrong
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).corruptIpChecksum().build();
        byte[] good = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();

        // When the checksum is computed
        int computed = Checksums.ipv4HeaderChecksum(ByteBuffer.wrap(packet), PacketParser.IPV4_OFFSET_IN_PACKET, 20);

        // Then it is the correct one, whatever was stored
        assertThat(computed).isEqualTo(ReferencePackets.u16(good, PacketParser.IPV4_OFFSET_IN_PACKET + 10));
    }

    /**
     * A random 20-byte header whose first word is 0x45xx, as every IPv4 header's is: RFC 1624 eqn. 3 matches full
     * recomputation for any data that is not all zeros, which a real header never is.
     */
    private byte[] randomHeader() {
        byte[] header = new byte[20];
        if (random.nextInt(20) == 0) {
            // all-ones and all-zeros bodies push sums to the ones'-complement zeros
            Arrays.fill(header, (byte) (random.nextBoolean() ? 0 : 0xFF));
        } else {
            random.nextBytes(header);
        }
        header[0] = 0x45;
        header[10] = 0;
        header[11] = 0;
        return header;
    }

    private int pickWordOtherThanChecksum() {
        int word;
        do {
            word = random.nextInt(1, 10) * 2;
        } while (word == 10);
        return word;
    }

    private int edgeValue() {
        int[] edges = {0x0000, 0xFFFF, 0x0001, 0xFFFE, 0x8000, 0x7FFF};
        return edges[random.nextInt(edges.length)];
    }

    private static int recompute(byte[] header) {
        byte[] copy = header.clone();
        copy[10] = 0;
        copy[11] = 0;
        return ReferencePackets.internetChecksum(copy, 0, copy.length);
    }
}
