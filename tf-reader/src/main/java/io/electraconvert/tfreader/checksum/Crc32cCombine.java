package io.electraconvert.tfreader.checksum;

/**
 * The CRC-32C of a concatenation from the CRCs of its parts, so parts of one tensor can be read and checksummed on
 * different threads and still be checked against the single CRC the bundle stores. zlib's {@code crc32_combine64}
 * (1.2.12+, {@code crc32.c}) with the Castagnoli polynomial: appending {@code lengthB} bytes multiplies
 * {@code crcA} by x^(8·lengthB) modulo the polynomial, then adds {@code crcB}.
 */
public final class Crc32cCombine {
    /** The Castagnoli polynomial, bit-reflected as {@link java.util.zip.CRC32C} uses it. */
    private static final int POLY = 0x82f63b78;
    /** {@code X2N[k]} = x^(2^k) mod p, for k up to 3 + 63 (a length's bits, counted in bits). */
    private static final int[] X2N = new int[67];

    static {
        int p = 1 << 30; // x^1
        X2N[0] = p;
        for (int k = 1; k < X2N.length; k++) {
            X2N[k] = p = multiplyModP(p, p);
        }
    }

    private Crc32cCombine() {}

    /** CRC-32C of {@code A || B}, given CRC-32C of A, of B, and B's length in bytes. */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        return multiplyModP(xPow8nModP(lengthB), crcA) ^ crcB;
    }

    /** a·b modulo p, in the reflected representation (bit 31 is x^0). */
    private static int multiplyModP(int a, int b) {
        int m = 1 << 31;
        int product = 0;
        while (true) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    return product;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
    }

    /** x^(8n) mod p: n bytes of zeros appended. */
    private static int xPow8nModP(long n) {
        int p = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiplyModP(X2N[k], p);
            }
        }
        return p;
    }
}
