package io.electraconvert.tfreader.checksum;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C as TensorFlow and LevelDB store it: "masked" so that a CRC over data that itself embeds CRCs
 * stays well distributed ({@code tensorflow/core/lib/hash/crc32c.h}: rotate right by 15, add a constant).
 */
public final class MaskedCrc32c {
    private static final int MASK_DELTA = 0xa282ead8;

    private MaskedCrc32c() {}

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    public static int unmask(int maskedCrc) {
        int rotated = maskedCrc - MASK_DELTA;
        return (rotated >>> 17) | (rotated << 15);
    }

    /** Plain (unmasked) CRC-32C of the buffer's remaining bytes; the buffer's position is left unchanged. */
    public static int crc(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }
}
