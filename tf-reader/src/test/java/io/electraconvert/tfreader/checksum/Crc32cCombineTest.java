package io.electraconvert.tfreader.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cCombineTest {
    private static int crc(byte[] data, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(data, from, to - from);
        return (int) c.getValue();
    }

    @Test
    void combiningSplitsGivesTheCrcOfTheWhole() {
        Random random = new Random(42);
        byte[] data = new byte[1 << 20];
        random.nextBytes(data);
        int whole = crc(data, 0, data.length);
        for (int split : new int[] {0, 1, 2, 3, 4, 7, 8, 1000, 65536, data.length - 1, data.length}) {
            assertEquals(whole, Crc32cCombine.combine(crc(data, 0, split), crc(data, split, data.length), data.length - split),
                    "split at " + split);
        }
    }

    @Test
    void combiningManyUnevenPartsInOrder() {
        Random random = new Random(7);
        byte[] data = new byte[3_000_001];
        random.nextBytes(data);
        int combined = crc(data, 0, 0);
        for (int from = 0; from < data.length; ) {
            int to = Math.min(data.length, from + 1 + random.nextInt(400_000));
            combined = Crc32cCombine.combine(combined, crc(data, from, to), to - from);
            from = to;
        }
        assertEquals(crc(data, 0, data.length), combined);
    }

    /** Lengths of 2^29 bytes and more need powers past zlib's 32-entry table (the review found them wrong). */
    @Test
    void partsOfHalfAGigabyteAndMore() {
        byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] zeros = new byte[1 << 20];
        CRC32C whole = new CRC32C();
        whole.update(abc);
        CRC32C tail = new CRC32C();
        long length = 0;
        for (long target : new long[] {(511L << 20), (512L << 20), (513L << 20), (1024L << 20), (2049L << 20)}) {
            while (length < target) {
                whole.update(zeros);
                tail.update(zeros);
                length += zeros.length;
            }
            assertEquals((int) whole.getValue(), Crc32cCombine.combine(crc(abc, 0, 3), (int) tail.getValue(), length),
                    "abc + " + (length >> 20) + " MiB of zeros");
        }
    }

    @Test
    void knownValueAndBadLength() {
        // CRC-32C("123456789") = 0xE3069283 (the check value of the Castagnoli CRC)
        byte[] digits = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32cCombine.combine(crc(digits, 0, 4), crc(digits, 4, 9), 5));
        assertThrows(IllegalArgumentException.class, () -> Crc32cCombine.combine(0, 0, -1));
    }
}
