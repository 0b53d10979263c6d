package io.electraconvert.tfreader.bundle;

import io.electraconvert.error.ChecksumException;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import io.electraconvert.tfreader.sstable.ByteCursor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * DT_STRING tensors ({@code tensor_bundle.cc} {@code WriteStringTensor}): {@code varint64 len[N]}, a fixed32
 * masked CRC of the lengths, then the concatenated bytes. The entry's checksum covers the lengths re-encoded as
 * uint32 LE (uint64 when a length exceeds 32 bits), the four masked-CRC bytes, then the characters.
 */
final class StringTensorDecoder {
    private StringTensorDecoder() {}

    private static final byte[] EMPTY = new byte[0];

    /**
     * Decodes and verifies the strings. Memory stays at the stored bytes plus one reference per element: lengths are
     * parsed twice rather than kept in a {@code long[]}, every length is checked against the bytes left before
     * anything is allocated for it, and empty strings share one array.
     */
    static byte[][] decode(Path file, String tensorName, ByteBuffer stored, long fileOffset, long numElements, int storedMaskedCrc) {
        String region = "string tensor '" + tensorName + "'";
        ByteCursor cursor = new ByteCursor(file, stored, fileOffset, region);
        // every element needs at least a one-byte varint, and the lengths' checksum takes four more bytes
        if (numElements < 0 || numElements > stored.remaining() - 4L) {
            throw cursor.corrupt(numElements + " strings cannot fit in " + stored.remaining() + " bytes");
        }
        int count = (int) numElements;
        CRC32C entryCrc = new CRC32C();
        CRC32C lengthsCrc = new CRC32C();
        byte[] encoded = new byte[8];
        long totalLength = 0;
        for (int i = 0; i < count; i++) {
            long length = cursor.varint64();
            if (Long.compareUnsigned(length, stored.remaining()) > 0) {
                throw cursor.corrupt("string " + i + " of " + Long.toUnsignedString(length)
                        + " bytes is longer than the whole tensor (" + stored.remaining() + " bytes)");
            }
            totalLength += length;
            // re-encoded as uint32 LE, or uint64 LE when the length needs it
            int width = length > 0xffffffffL ? 8 : 4;
            for (int b = 0; b < width; b++) {
                encoded[b] = (byte) (length >>> (8 * b));
            }
            lengthsCrc.update(encoded, 0, width);
            entryCrc.update(encoded, 0, width);
        }
        ByteBuffer maskedLengthsCrc = cursor.bytes(4, "lengths checksum");
        int storedLengthsCrc = maskedLengthsCrc.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (MaskedCrc32c.unmask(storedLengthsCrc) != (int) lengthsCrc.getValue()) {
            throw new ChecksumException(file, "string lengths of tensor '" + tensorName + "'",
                    MaskedCrc32c.unmask(storedLengthsCrc), (int) lengthsCrc.getValue());
        }
        if (totalLength > cursor.remaining()) {
            throw cursor.corrupt("the strings' lengths add up to " + totalLength + " bytes but " + cursor.remaining()
                    + " bytes are left");
        }
        entryCrc.update(maskedLengthsCrc.duplicate());
        // second pass over the (already validated) lengths; the characters follow the checksum, back to back
        ByteCursor lengths = new ByteCursor(file, stored, fileOffset, region);
        ByteBuffer chars = cursor.bytes(totalLength, "string characters");
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            int length = (int) lengths.varint64();
            if (length == 0) {
                values[i] = EMPTY;
            } else {
                values[i] = new byte[length];
                chars.get(values[i]);
                entryCrc.update(values[i]);
            }
        }
        int expected = MaskedCrc32c.unmask(storedMaskedCrc);
        if ((int) entryCrc.getValue() != expected) {
            throw new ChecksumException(file, "tensor '" + tensorName + "'", expected, (int) entryCrc.getValue());
        }
        return values;
    }
}
